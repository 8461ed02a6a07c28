/*
 * MUST STAY IN STEP WITH README.md, section "See it answer in one minute": STEPS below are its commands
 * and the lines it tells a newcomer to type, run exactly so (`npm run …`, one process after another on
 * one database). The last test fails when the README no longer shows them; change both together.
 */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { currentDemoPeriod } from '../helpers/demo-org.js';
import { ROOT, cleanEnv, removeTemporaryFolders, spawnProcess, stopAll, temporaryFolder } from '../helpers/processes.js';

const STEPS = {
  demoData: { command: 'npm run cli -- demo-data', typed: [] },
  director: { command: 'npm run chat -- --as director', typed: ['2020年技改完成率'] },
  sectionHead: {
    command: 'npm run chat -- --as wang',
    typed: ['/report', '19.6亿', '两千三百万', '196000万', '3家 博昇乐、创睿极光、金丰', '确认'],
  },
};

type Step = (typeof STEPS)[keyof typeof STEPS];

describe("a newcomer's first minute, as README.md tells it", () => {
  let dataDir: string;

  /** Runs one step as a shell would (`npm run …` in the project folder), typing its lines; its stdout. */
  async function run(step: Step): Promise<string> {
    const [command = 'npm', ...args] = step.command.split(' ');
    const child = spawnProcess(command, args, cleanEnv({ DATA_DIR: dataDir }));
    child.child.stdin?.end(step.typed.map((line) => `${line}\n`).join(''));
    const code = await child.exited;
    expect(code, `${step.command} failed:\n${child.stderr()}`).toBe(0);
    return child.stdout();
  }

  beforeAll(async () => {
    dataDir = path.join(await temporaryFolder('first-minute'), 'data');
  });

  afterAll(async () => {
    await stopAll();
    await removeTemporaryFolders();
  });

  it('loads the demo data', async () => {
    expect(await run(STEPS.demoData)).toContain('已载入 2020 年示例数据');
  });

  it('answers the director with 81% for 2020年技改完成率', async () => {
    const out = await run(STEPS.director);
    expect(out).toMatch(/^工业技改投资：1–12月累计 2\.43 亿元，完成年度目标 3 亿元的 81%，/m);
  });

  it("files this month's figures for the section head and confirms them", async () => {
    const { label, span } = currentDemoPeriod();
    const out = await run(STEPS.sectionHead);
    expect(out).toContain(`(1/4) 规上工业总产值 ${span}（亿元）？`);
    expect(out).toContain('2. 规上工业增加值 0.23 亿元');
    expect(out).toContain(`已提交 ${label} 数据 4 项。`);
    expect(out).toMatch(/^工业投资：.*完成年度目标 21 亿元的 [\d.]+%，序时进度/m);
  });

  it('shows these very steps in README.md', async () => {
    const readme = await readFile(path.join(ROOT, 'README.md'), 'utf8');
    const section = /## See it answer in one minute\n([\s\S]*?)\n## /.exec(readme)?.[1] ?? '';
    const shown = section.split('\n');
    // Each command where the README shows it, in the README's order, followed by the lines typed into it.
    let at = -1;
    for (const step of Object.values(STEPS)) {
      const command = shown.findIndex((line, index) => index > at && (line === step.command || line.startsWith(`${step.command} `)));
      expect(command, step.command).toBeGreaterThan(at);
      at = command;
      for (const typed of step.typed) {
        const line = shown.indexOf(`> ${typed}`, at + 1);
        expect(line, typed).toBeGreaterThan(at);
        at = line;
      }
    }
  });
});
