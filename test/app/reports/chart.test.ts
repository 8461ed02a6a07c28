import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AppDeps } from '../../../src/app/deps.js';
import { CJK_FONT_FAMILY, CJK_FONT_FILES, findCjkFont, renderCompletionChart, resvgOptions } from '../../../src/app/reports/chart.js';
import { drawChartPng } from '../../../src/app/reports/chart-thread.js';
import { type Database, openDatabase } from '../../../src/db/database.js';
import { withDemoFigures } from '../../helpers/databases.js';
import { decodePng } from '../../helpers/documents.js';

/*
 * The completion chart as a picture: rendered on the server, decoded here. Chinese text must come out as
 * glyphs: without a CJK font the renderer leaves text out or draws the same box for every character.
 * On a machine without the font these tests skip, saying so; in CI (CI=true) they fail instead.
 */

const NOW = new Date('2026-11-27T10:38:29.510Z');
const font = findCjkFont();
const required = process.env.CI === 'true';

if (!font && !required) console.warn(`no CJK font at ${CJK_FONT_FILES[0]} (apt-get install fonts-noto-cjk) — chart text tests skipped`);

/** One line of text in the configured family, as the chart writes its labels, drawn by the chart thread. */
const label = (text: string, fontFile: string | undefined) =>
  drawChartPng({
    option: { animation: false, title: { text, left: 10, top: 10, textStyle: { fontFamily: CJK_FONT_FAMILY, fontSize: 32 } } },
    width: 240,
    height: 60,
    resvg: resvgOptions(fontFile),
  });

(font || required ? describe : describe.skip)(`the completion chart${font ? '' : ' [no CJK font installed]'}`, () => {
  let database: Database;
  let deps: AppDeps;
  beforeAll(async () => {
    database = await openDatabase({ dataDir: 'memory://' });
    deps = { prisma: database.prisma, now: () => NOW };
    await withDemoFigures(deps);
  });
  afterAll(async () => {
    await database.close();
  });

  it('has a CJK font to draw Chinese with', () => {
    expect(font, `none of ${CJK_FONT_FILES.join(', ')} exists: apt-get install fonts-noto-cjk`).toBeDefined();
  });

  it('draws Chinese characters as their own glyphs, not as one box for all', async () => {
    const [a, b] = await Promise.all([label('完成率', font), label('序时进', font)]);
    const [first, second] = [decodePng(a), decodePng(b)];
    expect(first.inked()).toBeGreaterThan(200);
    expect(second.inked()).toBeGreaterThan(200);
    // Boxes (.notdef) look the same whatever the character; glyphs do not.
    expect(a.equals(b)).toBe(false);
    // Without any font the same text leaves no ink: the font is what draws it.
    expect(decodePng(await label('完成率', undefined)).inked()).toBe(0);
  });

  it('renders 2020\'s completion against 序时进度 as a 1000×560 PNG with its title drawn', async () => {
    const png = decodePng(await renderCompletionChart(deps, { year: 2020 }));
    expect([png.width, png.height]).toEqual([1000, 560]);
    expect(png.inked()).toBeGreaterThan(1000 * 560 * 0.02);
    const titleBox = { x: 150, y: 10, width: 700, height: 36 };
    expect(png.inked(titleBox)).toBeGreaterThan(500);
    const bare = decodePng(await renderCompletionChart(deps, { year: 2020, fontFile: null }));
    // The legend, under the indicators' names, shows completion in both of the bars' colours: blue on
    // schedule, red behind it (2020's 技改 at 81% and R&D at 75.76% against 100% of the year elapsed).
    const legend = { x: 0, y: 520, width: 1000, height: 40 };
    expect(png.coloured('#3b6fb6', legend)).toBeGreaterThan(100);
    expect(png.coloured('#d9534f', legend)).toBeGreaterThan(100);
    // The same chart without the font has bars but no title: the title's ink is the font's.
    expect(bare.inked(titleBox)).toBeLessThan(png.inked(titleBox) / 10);
  });
});
