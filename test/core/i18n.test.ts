import { readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { catalogueKeys, template, translator } from '../../src/core/i18n.js';
import { renderFigure } from '../../src/core/render.js';

const placeholders = (text: string | undefined) => [...(text ?? '').matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) return entry.name === 'generated' ? [] : sourceFiles(full);
    return entry.name.endsWith('.ts') ? [full] : [];
  });
}

describe('the locales', () => {
  const zh = catalogueKeys('zh-CN');
  const en = catalogueKeys('en');

  it('have the same keys in zh-CN and en', () => {
    expect(en.filter((key) => !zh.includes(key))).toEqual([]);
    expect(zh.filter((key) => !en.includes(key))).toEqual([]);
  });

  it('define each key once (JSON.parse keeps the last of two, without a word)', () => {
    for (const locale of ['zh-CN', 'en']) {
      const text = readFileSync(new URL(`../../locales/${locale}.json`, import.meta.url), 'utf8');
      const open: string[] = [];
      const seen = new Set<string>();
      const twice: string[] = [];
      for (const line of text.split('\n')) {
        const key = /^\s*"((?:[^"\\]|\\.)*)":/.exec(line)?.[1];
        if (key !== undefined) {
          const full = [...open, key].join('.');
          if (seen.has(full)) twice.push(full);
          seen.add(full);
          if (/\{\s*$/.test(line)) open.push(key);
        } else if (/^\s*\},?\s*$/.test(line)) {
          open.pop();
        }
      }
      expect(twice, locale).toEqual([]);
    }
  });

  it('use the same placeholders in both languages', () => {
    const mismatched = zh.filter((key) => {
      const a = placeholders(template('zh-CN', key)).filter((name) => name !== 'month' && name !== 'monthName');
      const b = placeholders(template('en', key)).filter((name) => name !== 'month' && name !== 'monthName');
      return a.join() !== b.join();
    });
    expect(mismatched).toEqual([]);
  });

  it('hold every key the source code asks for', () => {
    const used = sourceFiles(path.resolve('src')).flatMap((file) =>
      [...readFileSync(file, 'utf8').matchAll(/\bt\(\s*'([a-z_]+\.[\w.]+)'/g)].map((match) => match[1] ?? ''),
    );
    expect(used.length).toBeGreaterThan(20);
    expect([...new Set(used)].filter((key) => !zh.includes(key))).toEqual([]);
  });

  it('fill placeholders and leave an unknown one visible', () => {
    const t = translator('zh-CN');
    expect(t('missing.none', { period: '2026-11' })).toBe('2026-11 各股室均已报送。');
    expect(t('missing.none')).toBe('{period} 各股室均已报送。');
  });

  it('write English counts in the singular for one, the plural otherwise', () => {
    const en = translator('en');
    expect(en('dialogue.submitted', { count: 1, period: 'November 2026' })).toBe('Submitted 1 figure for November 2026.');
    expect(en('dialogue.submitted', { count: 3, period: 'November 2026' })).toBe('Submitted 3 figures for November 2026.');
    expect(renderFigure(en, '1', '家')).toBe('1 firm');
    expect(renderFigure(en, '3', '家')).toBe('3 firms');
    expect(renderFigure(translator('zh-CN'), '1', '家')).toBe('1 家');
  });
});

describe('a gap of one point', () => {
  it('is one point in English, not 1 points', () => {
    const en = translator('en');
    expect([en('progress.gap_ahead', { points: '1' }), en('progress.gap_behind', { points: '2.5' })]).toEqual(['1 point ahead', '2.5 points behind']);
  });
});
