import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

/*
 * The repository stands on its own: what the code relies on is written in docs/, and nothing in the
 * repository points to a file outside it. Every relative link of README.md and docs/*.md leads to a file
 * (and a heading) that exists.
 */

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const SKIPPED = /^(?:node_modules|src\/generated)(?:\/|$)/;

// Written in pieces, so that this file does not name what it looks for.
const OUTSIDE_NOTES = ['PRODUCT', 'STYLE', 'ENVIRONMENT'].map((name) => new RegExp(`\\b${name}\\.md\\b`));
const OUTSIDE_PATHS = [/\/work\//, /(?:^|[^\w.])(?:\.\.\/)+shared\b/, /\bshared\/(?:PRODUCT|STYLE|ENVIRONMENT|seed-report)/];

/** The repository's files: those git tracks, or (outside a git checkout) those on disk. */
function repositoryFiles(): string[] {
  let listed: string[];
  try {
    listed = execFileSync('git', ['ls-files', '-z'], { cwd: ROOT, encoding: 'utf8' }).split('\0').filter(Boolean);
  } catch {
    listed = walk('');
  }
  return listed.filter((file) => !SKIPPED.test(file) && existsSync(path.join(ROOT, file)));
}

function walk(dir: string): string[] {
  return readdirSync(path.join(ROOT, dir), { withFileTypes: true }).flatMap((entry) => {
    const relative = dir === '' ? entry.name : `${dir}/${entry.name}`;
    if (entry.isDirectory()) return ['.git', 'data', 'coverage'].includes(entry.name) ? [] : walk(relative);
    return entry.isFile() ? [relative] : [];
  });
}

/** Every `file:line: text` where one of `patterns` matches, in text files. */
function mentions(files: string[], patterns: RegExp[]): string[] {
  return files.flatMap((file) => {
    const content = readFileSync(path.join(ROOT, file));
    if (content.includes(0)) return [];
    return content
      .toString('utf8')
      .split('\n')
      .flatMap((line, index) => (patterns.some((pattern) => pattern.test(line)) ? [`${file}:${index + 1}: ${line.trim()}`] : []));
  });
}

/** A heading's anchor as GitHub makes it: lower case, punctuation dropped, spaces as hyphens. */
function slug(heading: string): string {
  return heading
    .trim()
    .toLowerCase()
    .replace(/[^\p{L}\p{N}\s_-]/gu, '')
    .replace(/\s/g, '-');
}

function anchorsOf(markdown: string): Set<string> {
  return new Set([...markdown.matchAll(/^#{1,6}\s+(.+)$/gm)].map((match) => slug(match[1] ?? '')));
}

/** The relative links of a markdown file (not web addresses), outside fenced code. */
function relativeLinks(markdown: string): string[] {
  const prose = markdown.replace(/^```[\s\S]*?^```/gm, '');
  return [...prose.matchAll(/\[[^\]]*\]\(([^)\s]+)(?:\s+"[^"]*")?\)/g)]
    .map((match) => match[1] ?? '')
    .filter((target) => !/^[a-z][a-z0-9+.-]*:/i.test(target));
}

describe('the repository', () => {
  const files = repositoryFiles();

  it('has files to check, the documentation among them', () => {
    expect(files.length).toBeGreaterThan(50);
    expect(files).toEqual(expect.arrayContaining(['README.md', 'docs/product.md', 'docs/architecture.md', 'docs/extending.md']));
  });

  it('names no notes kept outside it', () => {
    expect(mentions(files, OUTSIDE_NOTES)).toEqual([]);
  });

  it('points to no path outside it', () => {
    expect(mentions(files, OUTSIDE_PATHS)).toEqual([]);
  });

  it('would notice either', () => {
    const samples = [`see ${'PRODUCT'}.md §3`, `the ${'STYLE'}.md "Errors"`, `/wo${'rk'}/main/node_modules`, `..${'/'}shar${'ed'}/x`];
    expect(samples.filter((sample) => [...OUTSIDE_NOTES, ...OUTSIDE_PATHS].some((pattern) => pattern.test(sample)))).toEqual(samples);
  });
});

describe('the documentation', () => {
  const documents = ['README.md', ...readdirSync(path.join(ROOT, 'docs')).filter((name) => name.endsWith('.md')).map((name) => `docs/${name}`)];

  it('links only to files and headings that exist in the repository', () => {
    const broken = documents.flatMap((document) => {
      const here = path.dirname(path.join(ROOT, document));
      return relativeLinks(readFileSync(path.join(ROOT, document), 'utf8')).flatMap((link) => {
        const [target = '', anchor] = link.split('#');
        const file = target === '' ? path.join(ROOT, document) : path.resolve(here, decodeURIComponent(target));
        const inside = file === ROOT || file.startsWith(`${ROOT}${path.sep}`);
        if (!inside || !existsSync(file)) return [`${document}: ${link}`];
        if (anchor && file.endsWith('.md') && !anchorsOf(readFileSync(file, 'utf8')).has(decodeURIComponent(anchor))) {
          return [`${document}: ${link} (no such heading)`];
        }
        return [];
      });
    });
    expect(broken).toEqual([]);
  });

  it('are linked from README.md', () => {
    const links = relativeLinks(readFileSync(path.join(ROOT, 'README.md'), 'utf8')).map((link) => link.split('#')[0]);
    expect(links).toEqual(expect.arrayContaining(['docs/product.md', 'docs/architecture.md', 'docs/extending.md']));
  });

  it('holds the organisation file example of the fixtures verbatim', () => {
    const fixture = readFileSync(path.join(ROOT, 'test/fixtures/org/product-example.yaml'), 'utf8');
    const example = fixture.replace(/^(?:#.*\n)+/, '');
    expect(readFileSync(path.join(ROOT, 'docs/product.md'), 'utf8')).toContain(`\`\`\`yaml\n${example}\`\`\``);
  });
});
