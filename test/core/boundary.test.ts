import { readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

// src/core is the pure domain (docs/architecture.md, Layers): no platform, no database, no scheduler, no I/O.
const FORBIDDEN = [
  /^telegraf/,
  /^wechaty/,
  /^@prisma\//,
  /^prisma/,
  /^pglite/,
  /^@electric-sql\//,
  /^node-cron/,
  /^pino/,
  /^exceljs/,
  /^(node:)?(fs|fs\/promises|net|http|https|child_process|worker_threads|dgram)$/,
  /\/(db|channels|scheduler|app|cli|generated)\//,
];

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) return sourceFiles(full);
    return entry.name.endsWith('.ts') ? [full] : [];
  });
}

function importsOf(file: string): string[] {
  const text = readFileSync(file, 'utf8');
  const specifiers = [...text.matchAll(/(?:import|export)\s[^'"]*?from\s+['"]([^'"]+)['"]|import\(\s*['"]([^'"]+)['"]\s*\)/g)];
  return specifiers.map((match) => match[1] ?? match[2] ?? '');
}

describe('the core', () => {
  const files = sourceFiles(path.resolve('src/core'));

  it('has source files to check', () => {
    expect(files.length).toBeGreaterThan(5);
  });

  it('imports no chat platform, database, scheduler or I/O module', () => {
    const offences = files.flatMap((file) =>
      importsOf(file)
        .filter((specifier) => FORBIDDEN.some((pattern) => pattern.test(specifier)))
        .map((specifier) => `${path.relative(process.cwd(), file)} imports ${specifier}`),
    );
    expect(offences).toEqual([]);
  });

  it('would notice a forbidden import', () => {
    const sample = "import { Telegraf } from 'telegraf';\nimport x from '../db/database.js';";
    const found = [...sample.matchAll(/from\s+['"]([^'"]+)['"]/g)].map((match) => match[1] ?? '');
    expect(found.filter((specifier) => FORBIDDEN.some((pattern) => pattern.test(specifier)))).toHaveLength(2);
  });
});
