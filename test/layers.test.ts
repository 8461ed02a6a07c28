import { readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

/*
 * What may import what (docs/architecture.md, "What may import what"): each layer imports only the layers
 * to its left, or its own, never one to its right or beside it:
 *
 *   core ← db ← app ← (channels, scheduler, config) ← web ← cli ← main.ts
 *
 * and no file takes part in an import cycle, type-only imports included.
 */
const LAYERS: ReadonlyArray<{ name: string; rank: number; match: RegExp }> = [
  { name: 'core', rank: 0, match: /^src\/core\// },
  { name: 'db', rank: 1, match: /^src\/(db|generated)\/|^src\/logger\.ts$/ },
  { name: 'app', rank: 2, match: /^src\/app\/|^src\/http-server\.ts$/ },
  { name: 'channels', rank: 3, match: /^src\/channels\// },
  { name: 'scheduler', rank: 3, match: /^src\/scheduler\// },
  { name: 'config', rank: 3, match: /^src\/config\.ts$/ },
  { name: 'web', rank: 4, match: /^src\/web\// },
  { name: 'cli', rank: 5, match: /^src\/cli\// },
  { name: 'main', rank: 6, match: /^src\/(main|start-lines)\.ts$/ },
];

const root = process.cwd();

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) return sourceFiles(full);
    return /\.(ts|mts)$/.test(entry.name) && !entry.name.endsWith('.d.ts') ? [full] : [];
  });
}

/** The repository-relative files a source file imports (relative specifiers only; packages are not files here). */
export function localImports(file: string, text: string): string[] {
  const specifiers = [
    ...text.matchAll(/(?:^|\n)\s*(?:import|export)\s[^'"]*?from\s+['"]([^'"]+)['"]|import\(\s*['"]([^'"]+)['"]\s*\)/g),
  ].map((match) => match[1] ?? match[2] ?? '');
  return specifiers
    .filter((specifier) => specifier.startsWith('.'))
    .map((specifier) =>
      path.relative(root, path.resolve(path.dirname(file), specifier)).replace(/\.js$/, '.ts').split(path.sep).join('/'),
    );
}

function layerOf(file: string) {
  return LAYERS.find((layer) => layer.match.test(file));
}

/** `a imports b` lines that go against the direction of the layers. */
export function againstTheLayers(graph: Map<string, string[]>): string[] {
  const offences: string[] = [];
  for (const [file, imports] of graph) {
    const from = layerOf(file);
    for (const target of imports) {
      const to = layerOf(target);
      if (!from || !to) {
        if (target.startsWith('src/')) offences.push(`${file} imports ${target}, which no layer holds`);
        continue;
      }
      if (from.name !== to.name && to.rank >= from.rank) offences.push(`${file} (${from.name}) imports ${target} (${to.name})`);
    }
  }
  return offences;
}

/** Every import cycle, as the files on it (Tarjan's strongly connected components of more than one file, or a self-import). */
export function importCycles(graph: Map<string, string[]>): string[][] {
  let counter = 0;
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const cycles: string[][] = [];
  const visit = (file: string) => {
    index.set(file, counter);
    low.set(file, counter);
    counter += 1;
    stack.push(file);
    onStack.add(file);
    for (const target of graph.get(file) ?? []) {
      if (!graph.has(target)) continue;
      if (!index.has(target)) {
        visit(target);
        low.set(file, Math.min(low.get(file)!, low.get(target)!));
      } else if (onStack.has(target)) {
        low.set(file, Math.min(low.get(file)!, index.get(target)!));
      }
    }
    if (low.get(file) === index.get(file)) {
      const component: string[] = [];
      let member: string;
      do {
        member = stack.pop()!;
        onStack.delete(member);
        component.push(member);
      } while (member !== file);
      if (component.length > 1 || (graph.get(file) ?? []).includes(file)) cycles.push(component.sort());
    }
  };
  for (const file of graph.keys()) if (!index.has(file)) visit(file);
  return cycles;
}

function sourceGraph(): Map<string, string[]> {
  const files = sourceFiles(path.join(root, 'src')).filter((file) => !file.includes(`${path.sep}generated${path.sep}`));
  return new Map(
    files.map((file) => [path.relative(root, file).split(path.sep).join('/'), localImports(file, readFileSync(file, 'utf8'))]),
  );
}

describe('the layers of src/', () => {
  const graph = sourceGraph();

  it('puts every source file in a layer', () => {
    expect(graph.size).toBeGreaterThan(50);
    expect([...graph.keys()].filter((file) => !layerOf(file))).toEqual([]);
  });

  it('imports only downwards', () => {
    expect(againstTheLayers(graph)).toEqual([]);
  });

  it('has no import cycle between files', () => {
    expect(importCycles(graph)).toEqual([]);
  });

  it('would notice an import against the direction, beside it, or in a cycle', () => {
    const bad = new Map([
      ['src/app/outbox.ts', ['src/channels/telegram/telegram-adapter.ts']],
      ['src/channels/telegram/telegram-adapter.ts', ['src/scheduler/reminder-scheduler.ts']],
      ['src/scheduler/reminder-scheduler.ts', []],
      ['src/core/a.ts', ['src/core/b.ts']],
      ['src/core/b.ts', ['src/core/a.ts']],
    ]);
    expect(againstTheLayers(bad)).toEqual([
      'src/app/outbox.ts (app) imports src/channels/telegram/telegram-adapter.ts (channels)',
      'src/channels/telegram/telegram-adapter.ts (channels) imports src/scheduler/reminder-scheduler.ts (scheduler)',
    ]);
    expect(importCycles(bad)).toEqual([['src/core/a.ts', 'src/core/b.ts']]);
  });

  it('reads type-only and dynamic imports too', () => {
    const file = path.join(root, 'src/app/x.ts');
    expect(localImports(file, "import type { A } from './a.js';\nconst m = await import('../cli/run.js');")).toEqual([
      'src/app/a.ts',
      'src/cli/run.ts',
    ]);
  });
});
