import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../../src/cli/run.js';

/** Runs the CLI in-process on one embedded database, collecting what it prints. */
function cliOn(dataDir: string, now: Date) {
  return async (...argv: string[]) => {
    const out: string[] = [];
    const err: string[] = [];
    const code = await runCli(argv, {
      env: { DATA_DIR: dataDir },
      io: { stdout: (line) => out.push(line), stderr: (line) => err.push(line) },
      now: () => now,
    });
    return { code, out: out.join('\n'), err: err.join('\n') };
  };
}

describe('the admin CLI', () => {
  let dir: string;
  let cli: ReturnType<typeof cliOn>;

  beforeAll(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'baoshu-cli-'));
    cli = cliOn(path.join(dir, 'data'), new Date('2026-11-25T02:00:00Z'));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('prints the usage with --help and exits 2 on an unknown command', async () => {
    const help = await cli('--help');
    expect(help.code).toBe(0);
    expect(help.out).toContain('demo-data');
    const unknown = await cli('frobnicate');
    expect(unknown.code).toBe(2);
    expect(unknown.err).toContain('未知命令：frobnicate');
  });

  it('loads the demo data and prints the seed completion rates for 2020', async () => {
    const demo = await cli('demo-data');
    expect(demo.code).toBe(0);
    expect(demo.out).toContain('共 228 条');
    const progress = await cli('progress', '--year', '2020');
    expect(progress.code).toBe(0);
    for (const rate of ['119.76%', '的 81%', '75.76%', '140%']) expect(progress.out).toContain(rate);
    expect(progress.out).toContain('工业投资：1–12月累计 25.15 亿元，完成年度目标 21 亿元的 119.76%');
    // behind-schedule indicators come first
    expect(progress.out.indexOf('工业技改投资')).toBeLessThan(progress.out.indexOf('工业投资：'));
  });

  it('answers for one indicator and one month, in English too', async () => {
    const zh = await cli('progress', '--year', '2020', '--month', '10', '--indicator', 'tech_upgrade_investment');
    expect(zh.out.split('\n')[1]).toBe(
      '工业技改投资：1–10月累计 2.05 亿元，完成年度目标 3 亿元的 68.33%，序时进度 83.33%，落后 15 个百分点；同比增长 34.1%。',
    );
    const en = await cli('progress', '--year', '2020', '--indicator', 'industrial_investment', '--locale', 'en');
    expect(en.out).toContain('119.76% of the annual target');
    const unknown = await cli('progress', '--indicator', 'nope');
    expect(unknown.code).toBe(1);
    expect(unknown.out).toContain('没有 key 为 nope 的指标');
  });

  it('refuses a bad option value with exit code 2', async () => {
    expect((await cli('progress', '--year', 'twenty')).code).toBe(2);
    expect((await cli('missing', '--period', '2020-13')).code).toBe(2);
  });

  it('lists who has not reported, with the deadline', async () => {
    const all = await cli('missing', '--period', '2020-12');
    expect(all.code).toBe(0);
    expect(all.out).toContain('2020年12月 各股室均已报送');
    const next = await cli('missing', '--period', '2021-01');
    expect(next.out).toContain('2021年1月 未报送情况（截止 1月29日）');
    expect(next.out).toContain('运行监测股：规上工业总产值');
    expect(next.out).toContain('王明');
  });

  it('creates an invite for a member and refuses an unknown one', async () => {
    const invite = await cli('invite', 'wang');
    expect(invite.code).toBe(0);
    expect(invite.out).toMatch(/邀请码：[2-9A-HJ-NP-Z]{8}/);
    expect(invite.out).toContain('有效期至 2026-11-28 10:00');
    const unknown = await cli('invite', 'nobody');
    expect(unknown.code).toBe(1);
  });

  it('exports a year and imports it back without changing anything', async () => {
    const file = path.join(dir, 'figures-2020.xlsx');
    const exported = await cli('export', file, '--year', '2020');
    expect(exported.code).toBe(0);
    expect(exported.out).toContain('180 条');
    const imported = await cli('import', file);
    expect(imported.out).toContain('未变 180');
  });

  it('imports nothing from a file with problems and names each line', async () => {
    const file = path.join(dir, 'bad.csv');
    await writeFile(file, 'indicator,period,value\nindustrial_investment,2021-01,1.5\nno_such,2021-01,3\nindustrial_investment,2021-13,x\n');
    const result = await cli('import', file);
    expect(result.code).toBe(1);
    expect(result.out).toContain('第 3 行');
    expect(result.out).toContain('第 4 行');
    const missing = await cli('missing', '--period', '2021-01');
    expect(missing.out).toContain('工业投资');
  });

  it('validates an organisation file and reports problems with their lines', async () => {
    const demo = await readFile('src/app/demo/demo-org.yaml', 'utf8');
    const good = path.join(dir, 'org.yaml');
    await writeFile(good, demo);
    const valid = await cli('validate', good);
    expect(valid.code).toBe(0);
    expect(valid.out).toContain('8 个股室');
    const broken = path.join(dir, 'broken.yaml');
    await writeFile(broken, demo.replace('unit: 亿元', 'unit: 亿美元'));
    const invalid = await cli('validate', broken);
    expect(invalid.code).toBe(1);
    expect(invalid.out).toMatch(/indicators\[0\]\.unit \(line \d+\).*亿美元/);
  });

  it('keeps every figure when a changed organisation file is loaded', async () => {
    const demo = await readFile('src/app/demo/demo-org.yaml', 'utf8');
    const changed = path.join(dir, 'changed.yaml');
    await writeFile(changed, demo.replace('name: 乐昌市工业和信息化局', 'name: 乐昌市工信局'));
    const load = await cli('load', changed);
    expect(load.code).toBe(0);
    const progress = await cli('progress', '--year', '2020');
    expect(progress.out).toContain('乐昌市工信局 2020年');
    expect(progress.out).toContain('119.76%');
  });
});

describe('the admin CLI beside a running bot', () => {
  it('says in plain words that the embedded database is in use, and exits 1', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'baoshu-locked-'));
    try {
      // A live process (this one) owns the lock, as a running `npm start` would.
      await writeFile(path.join(dir, 'pglite.lock'), String(process.pid));
      const err: string[] = [];
      const code = await runCli(['progress'], { env: { DATA_DIR: dir }, io: { stdout: () => {}, stderr: (line) => err.push(line) } });
      expect(code).toBe(1);
      expect(err.join('\n')).toBe(
        `内置数据库 ${dir} 正被另一个进程（${process.pid}）使用，多半是正在运行的 npm start。请先停止它，或改用 PostgreSQL 服务器（DATABASE_URL），以便多个进程同时使用。`,
      );
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
