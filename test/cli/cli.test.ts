import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import net from 'node:net';
import path from 'node:path';
import { PassThrough, Readable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { cliOn } from '../helpers/cli.js';
import { ORG_FILE_READ_CODES } from '../../src/app/org-source.js';
import { runTerminalChat } from '../../src/cli/chat.js';
import { adminSocketPath, runInBot, serveAdminCommands } from '../../src/cli/admin-socket.js';
import { startBotAdmin } from '../../src/cli/bot-admin.js';
import { ARG_PROBLEM_CODES, runCli } from '../../src/cli/run.js';
import { startChatRuntime } from '../../src/app/chat/runtime.js';
import { createTerminalHub } from '../../src/channels/terminal/terminal-hub.js';
import { openDatabase } from '../../src/db/database.js';
import { translator } from '../../src/core/i18n.js';
import { redeemInvite } from '../../src/app/invites.js';
import { UNITS } from '../../src/core/units.js';

/** English words of the problems' English sentences; none may reach a zh-CN reader. */
const ENGLISH = /\b(expected|unknown|required|invalid|too small|too big|must|not|received|duplicate|clashes|line|cannot|option)\b/i;
const manyMistakes = new URL('../fixtures/org/many-mistakes.yaml', import.meta.url);

/** 1-based line of the first line of `text` containing `needle`. */
const lineOf = (text: string, needle: string) => text.split('\n').findIndex((line) => line.includes(needle)) + 1;

describe('the admin CLI', () => {
  let dir: string;
  let cli: ReturnType<typeof cliOn>;

  beforeAll(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'baoshu-cli-'));
    cli = cliOn(path.join(dir, 'data'), { now: new Date('2026-11-25T02:00:00Z') });
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
    expect(unknown.out).toContain('没有“nope”这项指标（可写指标的名称、简称或 key');
    // As people name it in chat: a short name, the full name, the English name.
    for (const named of ['技改', '工业技改投资', 'tech upgrade investment']) {
      const byName = await cli('progress', '--year', '2020', '--month', '10', '--indicator', named);
      expect([byName.code, byName.out]).toEqual([0, zh.out]);
    }
    const ambiguous = await cli('progress', '--indicator', '投资');
    expect([ambiguous.code, ambiguous.out.trim()]).toEqual([1, '“投资”可能指：工业投资、工业技改投资。请写得更具体些，或写 key。']);
  });

  it('refuses a bad option value with exit code 2', async () => {
    expect((await cli('progress', '--year', 'twenty')).code).toBe(2);
    expect((await cli('missing', '--period', '2020-13')).code).toBe(2);
  });

  it('names an unknown option, a missing value and a value given to a flag in the reader\'s language', async () => {
    const unknown = await cli('progress', '--yaer', '2020');
    expect(unknown.code).toBe(2);
    expect(unknown.err.split('\n')[0]).toBe('未知选项：--yaer');
    expect(unknown.err).toContain('用法：npm run cli');
    const missing = await cli('progress', '--year');
    expect([missing.code, missing.err.split('\n')[0]]).toEqual([2, '选项 --year 缺少值']);
    const swallowed = await cli('progress', '--year', '--month', '3');
    expect(swallowed.err.split('\n')[0]).toBe('选项 --year 缺少值');
    const flag = await cli('--help=yes');
    expect([flag.code, flag.err.split('\n')[0]]).toEqual([2, '选项 --help 不需要值']);
    const english = await cli('progress', '-x', '--locale', 'en');
    expect(english.err.split('\n')[0]).toBe('Unknown option: -x');
    expect(english.err).toContain('Usage: npm run cli');
  });

  it('lists who has not reported, with the deadline', async () => {
    const all = await cli('missing', '--period', '2020-12');
    expect(all.code).toBe(0);
    expect(all.out).toContain('2020年12月 各股室均已报送');
    const next = await cli('missing', '--period', '2021-01');
    expect(next.out).toContain('2021年1月 未报送情况（截止 1月29日，已逾期）');
    expect(next.out).toContain('运行监测股：规上工业总产值');
    expect(next.out).toContain('王明');
    // A month not open yet owes nothing: said so, not everyone listed as behind.
    const ahead = await cli('missing', '--period', '2030-01');
    expect([ahead.code, ahead.out.trim()]).toEqual([1, '2030年1月 的报送还没开始（现在报送的是 2026年11月），还没有谁欠报。']);
  });

  it('prints a dashboard link and says that it works once the bot runs, when no bot holds the data', async () => {
    const link = await cli('dashboard-link');
    expect(link.code).toBe(0);
    expect(link.out).toMatch(/http:\/\/127\.0\.0\.1:\d+\/dashboard\/login\?token=/);
    expect(link.out.split('\n').at(-1)).toBe('注意：数据看板由运行中的报数助手提供，它现在没有运行。请先 npm start，再在有效期内打开上面的链接。');
  });

  it('says when a year not begun yet opens for reporting, and names nobody as owing it', async () => {
    const next = await cli('progress', '--year', '2027');
    expect(next.code).toBe(0);
    // Its targets, if any, not a line of no data for each indicator.
    expect(next.out.split('\n')).toEqual(['乐昌市工业和信息化局 2027年尚无任何数据（2027年1月的报送从1月20日开始）', '2027年各项指标都没有设年度目标。']);
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
    expect(imported.out).not.toContain('改变了已有的数字');
  });

  it('lists each figure an import changed, so that an older file undoing corrections is seen', async () => {
    // A month no other test reads: first the corrected figures, then an older file of the same month.
    const corrected = path.join(dir, 'corrected.csv');
    await writeFile(corrected, 'indicator,period,value\n工业投资,2018-06,1.20\n新增规上企业,2018-06,2\n科技型中小企业入库,2018-06,4\n');
    expect((await cli('import', corrected)).out).not.toContain('改变了已有的数字');
    const older = path.join(dir, 'older.csv');
    // …and a note added to a figure whose number stays: a revision, but no changed number.
    await writeFile(older, 'indicator,period,value,note\n工业投资,2018-06,1.02,\n新增规上企业,2018-06,1,\n科技型中小企业入库,2018-06,4.0,口径调整\n');
    const imported = await cli('import', older);
    expect(imported.out.split('\n')).toEqual([
      `已导入 ${older}：共 3 条，新增 0，修订 3，未变 0。`,
      '其中 2 项改变了已有的数字（各记为一次修订，原值留在修订记录里）：',
      '  工业投资 2018-06：1.20 亿元 → 1.02 亿元',
      '  新增规上企业 2018-06：2 家 → 1 家',
      '另有 1 项数字没变，只改了备注（也记为修订）。',
    ]);
  });

  it('previews an import with --dry-run, and marks 待核实 what the chat would have queried', async () => {
    // A year no other test reads: two months of 工业投资, then a file with a fall and a unit mistaken.
    const base = path.join(dir, 'base-2017.csv');
    await writeFile(base, 'indicator,period,value\n工业投资,2017-05,18.00\n工业投资,2017-06,20.00\n');
    expect((await cli('import', base)).out).not.toContain('待核实');
    const file = path.join(dir, 'july-2017.csv');
    await writeFile(file, 'indicator,period,value\n工业投资,2017-07,1.9\n工业技改投资,2017-07,1.8万\n新增规上企业,2017-07,2\n');
    const preview = [
      `预览 ${file}（试导入，未写入任何数据）：共 3 条，将新增 3，修订 0，未变 0。去掉 --dry-run 即正式导入。`,
      // Each new figure as it would be stored, conversions done: 1.8万 in a 亿元 indicator is 0.00018 亿元.
      '将新增 3 项（按各指标的单位保存）：',
      '  工业投资 2017-07：1.90 亿元',
      '  工业技改投资 2017-07：0.00018 亿元',
      '  新增规上企业 2017-07：2 家',
      '2 项看起来可疑（聊天报送时也会请对方核对），导入后将标为“待核实”：',
      '  工业投资 2017-07：1.90 亿元',
      '    请核对：工业投资是累计数，一般不会减少，但本次 1.90 亿元 比上月（20.00 亿元）少。',
      '  工业技改投资 2017-07：0.00018 亿元',
      '    请核对：工业技改投资 本次 0.00018 亿元，按指标的小数位只显示为 0.00 亿元，单位是否写错了？',
    ];
    const dry = await cli('import', file, '--dry-run');
    expect([dry.code, dry.out.split('\n')]).toEqual([0, preview]);
    // Nothing was written: the same preview again.
    expect((await cli('import', file, '--dry-run')).out.split('\n')).toEqual(preview);

    const imported = await cli('import', file);
    expect(imported.out.split('\n')).toEqual([
      `已导入 ${file}：共 3 条，新增 3，修订 0，未变 0。`,
      '2 项看起来可疑（聊天报送时也会请对方核对），已照文件导入，并标为“待核实”：',
      ...preview.slice(6),
      '核实无误后运行 npm run cli -- confirm <指标> --period YYYY-MM 去掉标记；有误则改正文件后重新导入。',
    ]);
    const progress = async () => (await cli('progress', '--year', '2017', '--month', '7', '--indicator', '工业投资')).out;
    expect(await progress()).toContain('1–7月累计 1.90 亿元（待核实）');
    // Every figure marked, with every digit, for whoever checks them.
    const marked = await cli('queried');
    expect(marked.out.split('\n').slice(1)).toEqual(['  工业投资 2017-07：1.90 亿元', '  工业技改投资 2017-07：0.00018 亿元']);
    expect(marked.out.split('\n')[0]).toMatch(/^待核实的数字共 2 项/);
    // Confirmed, then the same file again: the figure stays confirmed.
    expect((await cli('confirm', '工业投资', '--period', '2017-07')).code).toBe(0);
    const again = await cli('import', file);
    expect(again.out.split('\n')).toEqual([`已导入 ${file}：共 3 条，新增 0，修订 0，未变 3。`]);
    expect(await progress()).not.toContain('待核实');
    expect((await cli('queried')).out.split('\n').slice(1)).toEqual(['  工业技改投资 2017-07：0.00018 亿元']);
    expect((await cli('confirm', '技改', '--period', '2017-07')).code).toBe(0);
    expect((await cli('queried')).out).toBe('没有待核实的数字。');

    // A figure queried only because of its neighbour loses its mark when a file corrects the neighbour.
    const fall = path.join(dir, 'fall-2016.csv');
    await writeFile(fall, 'indicator,period,value\n工业投资,2016-05,18.00\n工业投资,2016-06,20.00\n工业投资,2016-07,19.00\n');
    expect((await cli('import', fall)).out).toContain('  工业投资 2016-07：19.00 亿元');
    const june = async () => (await cli('progress', '--year', '2016', '--month', '7', '--indicator', '工业投资')).out;
    expect(await june()).toContain('（待核实）');
    await writeFile(fall, 'indicator,period,value\n工业投资,2016-05,18.00\n工业投资,2016-06,18.50\n工业投资,2016-07,19.00\n');
    expect((await cli('import', fall)).out.split('\n')[0]).toBe(`已导入 ${fall}：共 3 条，新增 0，修订 1，未变 2。`);
    expect(await june()).not.toContain('待核实');

    // A file that holds only the neighbour: the marked figure it no longer makes look wrong loses its mark too.
    await writeFile(fall, 'indicator,period,value\n工业投资,2015-05,18.00\n工业投资,2015-06,20.00\n工业投资,2015-07,19.00\n');
    expect((await cli('import', fall)).out).toContain('  工业投资 2015-07：19.00 亿元');
    const neighbour = path.join(dir, 'june-2015.csv');
    await writeFile(neighbour, 'indicator,period,value\n工业投资,2015-06,18.50\n');
    const neighbourPreview = await cli('import', neighbour, '--dry-run');
    expect(neighbourPreview.out.split('\n').slice(-2)).toEqual(['1 项原标为“待核实”的数字，导入后将不再可疑，标记将解除：', '  工业投资 2015-07']);
    const cleared = await cli('import', neighbour);
    expect(cleared.out.split('\n').slice(-2)).toEqual(['1 项原标为“待核实”的数字，因本次导入的数字不再可疑，已解除标记：', '  工业投资 2015-07']);
    expect((await cli('progress', '--year', '2015', '--month', '7', '--indicator', '工业投资')).out).not.toContain('待核实');
  });

  it('marks a stored month the imported months make look wrong, saying it was stored before', async () => {
    // A year no other test reads: November stored first, then January–October rising far above it.
    const november = path.join(dir, 'november-2014.csv');
    await writeFile(november, 'indicator,period,value\n工业投资,2014-11,0.56\n');
    expect((await cli('import', november)).out).not.toContain('待核实');
    const months = ['0.5', '1.1', '1.6', '2.2', '2.7', '3.3', '3.8', '4.3', '4.8', '5.2'];
    const year = path.join(dir, 'year-2014.csv');
    await writeFile(year, `indicator,period,value\n${months.map((value, index) => `工业投资,2014-${String(index + 1).padStart(2, '0')},${value}`).join('\n')}\n`);
    const imported = await cli('import', year);
    expect(imported.out.split('\n').slice(1, 4)).toEqual([
      '1 项看起来可疑（聊天报送时也会请对方核对），已照文件导入，并标为“待核实”：',
      '  工业投资 2014-11：0.56 亿元（原已保存的数字，与文件里的对不上，也标为“待核实”）',
      '    请核对：工业投资是累计数，一般不会减少，但本次 0.56 亿元 比上月（5.20 亿元）少。',
    ]);
    expect((await cli('queried')).out.split('\n').slice(1)).toEqual(['  工业投资 2014-11：0.56 亿元']);
    expect((await cli('confirm', '工业投资', '--period', '2014-11')).code).toBe(0);
  });

  it('says why an export could not be written, in the reader\'s language, and exits 1', async () => {
    const nowhere = path.join(dir, 'no-such-folder', 'figures.xlsx');
    const missing = await cli('export', nowhere, '--year', '2020');
    expect([missing.code, missing.out]).toEqual([1, `无法写入 ${nowhere}：文件夹不存在`]);
    const folder = path.join(dir, 'a-folder.csv');
    await mkdir(folder);
    const intoFolder = await cli('export', folder, '--year', '2020', '--locale', 'en');
    expect([intoFolder.code, intoFolder.out]).toEqual([1, `Cannot write ${folder}: it is a folder; give a file name`]);
  });

  it('imports nothing from a file with problems and names each line', async () => {
    const file = path.join(dir, 'bad.csv');
    await writeFile(file, 'indicator,period,value\nindustrial_investment,2021-01,1.5\nno_such,2021-01,3\nindustrial_investment,2021-13,x\n');
    const result = await cli('import', file);
    expect(result.code).toBe(1);
    expect(result.out.split('\n')).toEqual([
      `${file} 有 3 处问题，未导入任何数据：`,
      '  第 3 行 [indicator]：未知指标“no_such”',
      '  第 4 行 [period]：不是月份：“2021-13”（可写作 2020-10、2020年10月 或 2020/10）',
      '  第 4 行 [value]：读不出数值：“x”（可写 2.05、2.05亿 或 2300万；说明写在备注列）',
    ]);
    const english = await cli('import', file, '--locale', 'en');
    expect(english.out).toContain('  line 3 [indicator]: unknown indicator "no_such"');
    // A near miss is named; a unit written on every row is said once, with the lines and the units there are.
    const units = path.join(dir, 'units.csv');
    await writeFile(units, 'indicator,period,value,unit\n工业技改投,2021-01,1.5,亿元\n技改,2021-02,3,条\n技改,2021-03,4,条\n技改投,2021-04,1,\n');
    expect((await cli('import', units)).out.split('\n')).toEqual([
      `${units} 有 4 处问题，未导入任何数据：`,
      '  第 2 行 [indicator]：未知指标“工业技改投”，是不是“工业技改投资”？',
      `  第 3、4 行 [unit]：未知单位“条”，可用：${UNITS.join('、')}`,
      // 技改投 begins its alias 技改 and its alias 技改投资 alike: both one indicator's, no rivals.
      '  第 5 行 [indicator]：未知指标“技改投”，是不是“工业技改投资”？',
    ]);
    const workbook = path.join(dir, 'not-a-workbook.xlsx');
    await writeFile(workbook, 'indicator,period,value\n');
    expect((await cli('import', workbook)).out.split('\n')).toEqual([`${workbook} 有 1 处问题，未导入任何数据：`, '  整个文件：不是能读取的 .xlsx 文件']);
    // A header with nothing under it: said, and not taken for an import that went well (共 0 条).
    const empty = path.join(dir, 'empty.csv');
    await writeFile(empty, '指标,期间,数值\n\n');
    expect(await cli('import', empty, '--dry-run')).toMatchObject({ code: 1, out: `${empty} 中只有表头，没有数据行：未导入任何数据。` });
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
    // validate reads the file alone: it says what only load, beside the stored figures, can check.
    expect(valid.out).toContain('要到 load 时才会检查');
    const broken = path.join(dir, 'broken.yaml');
    await writeFile(broken, demo.replace('unit: 亿元', 'unit: 亿美元'));
    const invalid = await cli('validate', broken);
    expect(invalid.code).toBe(1);
    const line = lineOf(demo, 'unit: 亿元');
    expect(invalid.out.split('\n')).toEqual([
      '组织文件有 1 处问题，未作任何更改：',
      `indicators[0].unit（第 ${line} 行）：未知单位“亿美元”，可用：亿元、万元、元、家、个、户、项、人、%、个百分点、万吨、吨、万亩、亩、公里、万人次、人次、亿千瓦时、万千瓦时、千瓦时、公顷、万头、头、万只、只`,
    ]);
    const english = await cli('validate', broken, '--locale', 'en');
    expect(english.out).toContain(`indicators[0].unit (line ${line}): unknown unit "亿美元"; expected one of 亿元, 万元,`);
  });

  it('lists every one of many different mistakes by path and line, in Chinese only', async () => {
    const text = await readFile(manyMistakes, 'utf8');
    const file = path.join(dir, 'many-mistakes.yaml');
    await writeFile(file, text);
    const zh = await cli('validate', file);
    expect(zh.code).toBe(1);
    const [header, ...problems] = zh.out.split('\n');
    expect(header).toBe(`组织文件有 ${problems.length} 处问题，未作任何更改：`);
    expect(problems.length).toBeGreaterThanOrEqual(30);
    for (const problem of problems) expect(problem).toMatch(/^[\w.[\]]+（第 \d+ 行）：\S/);
    expect(zh.out).not.toMatch(ENGLISH);
    expect(zh.out).not.toMatch(/\{\w+\}/);
    expect(problems).toContain(`indicators[1].aliases[0]（第 ${lineOf(text, 'aliases: [x]')} 行）：别名“x”与指标 x 的英文名称重复`);
    expect(problems).toContain(`targets[0].year（第 ${lineOf(text, 'year: 1999')} 行）：不能小于 2000`);

    const en = await cli('validate', file, '--locale', 'en');
    expect(en.out.split('\n')).toHaveLength(problems.length + 1);
    expect(en.out).toContain(`targets[0].year (line ${lineOf(text, 'year: 1999')}): must be at least 2000`);
  });

  it('says plainly that an organisation file is missing or is a folder', async () => {
    const missing = path.join(dir, 'no-such-org.yaml');
    expect(await cli('validate', missing)).toMatchObject({ code: 1, out: `找不到组织文件 ${missing}` });
    expect(await cli('validate', dir)).toMatchObject({ code: 1, out: `${dir} 是文件夹，不是组织文件` });
    expect((await cli('validate', missing, '--locale', 'en')).out).toBe(`The organisation file ${missing} does not exist.`);
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

    // A file that drops a member and an indicator says which, then listing them again restores them.
    const fewer = path.join(dir, 'fewer.yaml');
    const dropped = demo
      .replace('  - { key: huang, name: 黄磊, roles: [staff], section: sci_plan, locale: en }\n', '')
      .replace(/\n {2}- key: sme_loans_issued\n(?: {4}.*\n)+/, '\n')
      .replace(/ {2}- \{ indicator: sme_loans_issued.*\n/g, '')
      // and, besides, renames a section and changes a target: said too, for the administrator to check.
      .replace('name: 运行监测股', 'name: 经济运行股')
      .replace('{ key: zhou, name: 周婷, roles: [staff], section: monitoring }', '{ key: zhou, name: 周婷, roles: [staff], section: sci_plan }')
      .replace('{ indicator: industrial_investment, year: 2020, value: 21,', '{ indicator: industrial_investment, year: 2020, value: 2.1,');
    await writeFile(fewer, dropped);
    // Previewed first: the same lines under a header that says nothing was written, and nothing is.
    const preview = await cli('load', fewer, '--dry-run');
    expect(preview.out.split('\n')[0]).toMatch(/^预览 .*fewer\.yaml（试加载，未写入任何数据）/);
    expect(preview.out).toContain('  工业投资 2020年目标：21 亿元 → 2.1 亿元');
    expect(preview.out).toContain('文件中不再列出的 1 名人员将停用（历史数据保留，重新列出即恢复）：黄磊（huang）');
    expect((await cli('progress', '--year', '2020')).out).toContain('119.76%');
    // A command without a preview refuses --dry-run rather than running for real.
    expect(await cli('demo-data', '--dry-run')).toMatchObject({ code: 2 });
    const loaded = await cli('load', fewer);
    expect(loaded.code).toBe(0);
    expect(loaded.out.split('\n').slice(1)).toEqual([
      '文件中不再列出的 1 名人员已停用（历史数据保留，重新列出即恢复）：黄磊（huang）',
      '文件中不再列出的 1 项指标已停用（历史数据保留，重新列出即恢复）：贷款发放（sme_loans_issued）',
      '与上次加载相比：',
      '  组织名称：乐昌市工信局 → 乐昌市工业和信息化局（各文件的标题随之改变）',
      '  股室 monitoring 改名：运行监测股 → 经济运行股',
      '  人员周婷（zhou）改属股室：经济运行股 → 科技计划股',
      '  工业投资 2020年目标：21 亿元 → 2.1 亿元',
    ]);
    expect((await cli('load', changed)).out.split('\n').slice(1)).toEqual([
      '与上次加载相比：',
      '  新增（或重新列出的）人员：黄磊（huang）',
      '  新增（或重新列出的）指标：贷款发放（sme_loans_issued）',
      '  组织名称：乐昌市工业和信息化局 → 乐昌市工信局（各文件的标题随之改变）',
      '  股室 monitoring 改名：经济运行股 → 运行监测股',
      '  人员周婷（zhou）改属股室：科技计划股 → 运行监测股',
      '  工业投资 2020年目标：2.1 亿元 → 21 亿元',
    ]);
  });

  it('says, on stderr, when it made a new database: a DATA_DIR other than the bot\'s is seen at once', async () => {
    const other = cliOn(path.join(dir, 'elsewhere'), { now: new Date('2026-11-25T02:00:00Z') });
    const first = await other('missing');
    expect(first.err).toBe(
      `注意：数据目录 ${path.join(dir, 'elsewhere')} 里原来没有数据库，已新建。如果机器人用的是别的数据目录，请把 DATA_DIR 写进 .env（npm start、npm run cli、npm run chat 都读它）。`,
    );
    expect(first.code).toBe(0);
    expect((await other('missing')).err).toBe('');
  });

  it('names the months due after an indicator\'s latest figure: August\'s total read in November says September and October are missing', async () => {
    const other = cliOn(path.join(dir, 'stale'), { now: new Date('2026-11-25T02:00:00Z') });
    const csv = path.join(dir, 'stale.csv');
    await writeFile(csv, 'indicator,period,value,unit,note\nindustrial_investment,2026-07,13,亿元,\nindustrial_investment,2026-08,15,亿元,\n');
    expect((await other('import', csv)).code).toBe(0);
    expect((await other('progress', '--indicator', '工业投资')).out.split('\n')[1]).toMatch(/^工业投资：1–8月累计 15.00 亿元（9–10月未报送），完成年度目标 21 亿元的 71.43%/);
  });

  it("refuses the demo figures for another organisation in one sentence", async () => {
    const other = cliOn(path.join(dir, 'other-data'), { now: new Date('2026-11-25T02:00:00Z') });
    expect((await other('load', new URL('../fixtures/org/minimal.yaml', import.meta.url).pathname)).code).toBe(0);
    expect(await other('demo-data')).toMatchObject({
      code: 1,
      out: '示例数据只适用于内置的示例组织（乐昌市工业和信息化局的指标），当前加载的是“测试局”，未导入任何数据。要试用示例，请用另一个数据目录（DATA_DIR）且不设 ORG_FILE。',
    });
  });

  it("says, loading a bureau's own file over the built-in demo, what becomes of the demo and how to begin from nothing", async () => {
    const other = cliOn(path.join(dir, 'demo-then-own'), { now: new Date('2026-11-25T02:00:00Z') });
    expect((await other('load')).code).toBe(0);
    const note = '注意：数据库里原是内置演示单位“乐昌市工业和信息化局”。';
    const own = new URL('../fixtures/org/minimal.yaml', import.meta.url).pathname;
    const preview = await other('load', own, '--dry-run');
    expect(preview.out.split('\n').filter((line) => line.startsWith(note))).toEqual([expect.stringContaining('加载后，它的股室、人员和指标将停用并保留')]);
    const loaded = await other('load', own);
    expect(loaded.out.split('\n').filter((line) => line.startsWith(note))).toEqual([expect.stringContaining('再用 ORG_FILE=您的组织文件 npm start 启动')]);
    // Said once: the bureau's own file loaded again is no longer over the demo.
    expect((await other('load', own)).out).not.toContain(note);
  });

  it('warns of a key changed where the name stays, in the preview and the load: the new key is a new indicator', async () => {
    const other = cliOn(path.join(dir, 'rekeyed'), { now: new Date('2026-11-25T02:00:00Z') });
    const own = new URL('../fixtures/org/minimal.yaml', import.meta.url).pathname;
    expect((await other('load', own)).code).toBe(0);
    const rekeyed = path.join(dir, 'rekeyed.yaml');
    await writeFile(rekeyed, (await readFile(own, 'utf8')).replace('key: rd_share_of_gdp', 'key: rd_share'));
    const warning =
      '  注意：指标“R&D经费占GDP比重”的 key 由 rd_share_of_gdp 改成了 rd_share。key 是指标的身份，rd_share_of_gdp 已有的报送数据仍属于 rd_share_of_gdp（停用），不计入 rd_share。如果不是新指标，请把 key 改回 rd_share_of_gdp。';
    expect((await other('load', rekeyed, '--dry-run')).out.split('\n')).toContain(warning);
    const loaded = (await other('load', rekeyed)).out.split('\n');
    expect(loaded.slice(loaded.indexOf('与上次加载相比：'))).toEqual(['与上次加载相比：', '  新增（或重新列出的）指标：R&D经费占GDP比重（rd_share）', warning]);
  });

  it("keeps a bureau's own organisation when `load` is given no file and ORG_FILE is not set", async () => {
    const other = cliOn(path.join(dir, 'own-data'), { now: new Date('2026-11-25T02:00:00Z') });
    expect((await other('load', new URL('../fixtures/org/minimal.yaml', import.meta.url).pathname)).code).toBe(0);
    expect(await other('load')).toMatchObject({
      code: 1,
      out: '数据库中已是“测试局”的组织。没有给出组织文件（也没有设置 ORG_FILE），不会用内置示例组织替换它，什么也没有改动。要更新请给出文件：npm run cli -- load <组织文件>',
    });
    expect((await other('progress')).out).toContain('测试局');
  });
  it('says, when it loads another file than ORG_FILE, that a restart keeps it only until ORG_FILE is edited', async () => {
    const orgFile = new URL('../fixtures/org/minimal.yaml', import.meta.url).pathname;
    const copy = path.join(dir, 'minimal-copy.yaml');
    await writeFile(copy, (await readFile(orgFile, 'utf8')).replace('name: 测试局', 'name: 测试局（新）'));
    const out: string[] = [];
    const code = await runCli(['load', copy], {
      env: { DATA_DIR: path.join(dir, 'org-file-data'), ORG_FILE: orgFile },
      io: { stdout: (line) => out.push(line), stderr: (line) => out.push(line) },
      now: () => new Date('2026-11-25T02:00:00Z'),
    });
    expect(code).toBe(0);
    expect(out.at(-1)).toBe(
      `注意：ORG_FILE 设为 ${orgFile}，不是这个文件。报数助手重启时沿用这次加载的组织，但只要 ${orgFile} 之后被修改过，重启就会以它为准重新加载。建议把这次的改动也写进 ${orgFile}，或把 ORG_FILE 改为 ${copy}。`,
    );
  });
});

describe('the admin CLI beside a running bot', () => {
  /** What one run of the CLI printed, with its exit code. */
  async function cliIn(dataDir: string, argv: string[], cwd?: string) {
    const out: string[] = [];
    const err: string[] = [];
    const code = await runCli(argv, {
      env: { DATA_DIR: dataDir },
      cwd,
      io: { stdout: (line) => out.push(line), stderr: (line) => err.push(line) },
      now: () => new Date('2026-11-25T02:00:00Z'),
    });
    return { code, out: out.join('\n'), err: err.join('\n') };
  }

  /** Runs `scenario` beside a bot on a fresh data folder with the demo data loaded (through the bot). */
  async function besideABot(scenario: (bot: Awaited<ReturnType<typeof startBotOn>>, dataDir: string, dir: string) => Promise<void>) {
    const dir = await mkdtemp(path.join(tmpdir(), 'baoshu-beside-'));
    const dataDir = path.join(dir, 'data');
    const bot = await startBotOn(dataDir);
    try {
      expect((await cliIn(dataDir, ['demo-data'])).code).toBe(0);
      await scenario(bot, dataDir, dir);
    } finally {
      await bot.stop();
      await rm(dir, { recursive: true, force: true });
    }
  }

  /** `npm run chat -- --as <member>` reading `input`: what it has printed so far, and its exit code. */
  function terminalChat(dataDir: string, member: string, input: Readable) {
    let out = '';
    let err = '';
    const output = new PassThrough().on('data', (chunk: Buffer) => (out += chunk.toString()));
    const error = new PassThrough().on('data', (chunk: Buffer) => (err += chunk.toString()));
    const exit = runTerminalChat({ argv: ['--as', member], env: { DATA_DIR: dataDir }, input, output, error });
    return { exit, out: () => out, err: () => err };
  }

  /** The bot as `npm start` runs it on `dataDir`: the database open (and locked), its terminal channel, its socket. */
  async function startBotOn(dataDir: string) {
    const database = await openDatabase({ dataDir });
    const now = () => new Date('2026-11-25T02:00:00Z');
    const terminal = createTerminalHub();
    const runtime = await startChatRuntime({ prisma: database.prisma, adapters: [terminal], now, sweepIntervalMs: 0, soleSender: true });
    const socket = await startBotAdmin({ dataDir, prisma: database.prisma, now, terminal });
    if (!socket) throw new Error('the bot could not listen');
    let stopped: Promise<void> | undefined;
    return {
      prisma: database.prisma,
      stop: () =>
        (stopped ??= (async () => {
          await socket.close();
          await runtime.stop();
          await database.close();
        })()),
    };
  }

  it('runs its commands in the bot that holds the embedded database, through the bot\'s socket', () =>
    besideABot(async (bot, dataDir, dir) => {
      const invite = await cliIn(dataDir, ['invite', 'wang']);
      expect(invite.code).toBe(0);
      expect(invite.out).toMatch(/^王明 的邀请码：[2-9A-HJ-NP-Z]{8}\n有效期至 2026-11-28 10:00/);
      expect(await bot.prisma.invite.count()).toBe(1);
      // A relative file name is taken from where the command was typed, not from where the bot runs.
      const exported = await cliIn(dataDir, ['export', 'figures-2020.csv', '--year', '2020', '--locale', 'en'], dir);
      expect(exported).toMatchObject({ code: 0, out: `Exported the 2020 figures to ${path.join(dir, 'figures-2020.csv')}: 180 rows.` });
      expect((await readFile(path.join(dir, 'figures-2020.csv'), 'utf8')).split('\n')).toHaveLength(182);
      // Refusals and their exit codes come back as they are.
      const nobody = await cliIn(dataDir, ['invite', 'nobody']);
      expect(nobody.code).toBe(1);
      expect(nobody.out).toMatch(/^没有 key 或姓名为“nobody”的人员。可选：director（林志强）、deputy（吴建国）、/);
      expect(await cliIn(dataDir, ['progress', '--year', 'twenty'])).toMatchObject({ code: 2 });
    }));

  it("unbinds a lost phone's account through the bot: the account named, or every one bound by an invite", () =>
    besideABot(async (bot, dataDir) => {
      const invite = await cliIn(dataDir, ['invite', '李华']);
      expect(invite.code).toBe(0);
      const code = /邀请码：([2-9A-HJ-NP-Z]{8})/.exec(invite.out)?.[1] ?? '';
      await redeemInvite({ prisma: bot.prisma, now: () => new Date('2026-11-25T03:00:00Z') }, { code, identity: 'telegram:9301' });
      // A second code adds an account: the one bound already is said, with how to unbind it.
      const again = await cliIn(dataDir, ['invite', 'li']);
      expect(again.out.split('\n').at(-1)).toBe(
        '李华 已绑定的聊天账号：telegram:9301（2026-11-25 经邀请码绑定）。用新邀请码绑定后，这些账号仍可使用；如旧手机丢失或不再使用，请解除：npm run cli -- unbind li <账号>',
      );
      expect(await cliIn(dataDir, ['unbind', 'li', 'telegram:1'])).toMatchObject({
        code: 1,
        out: '李华 没有绑定 telegram:1。已绑定的聊天账号：telegram:9301（2026-11-25 经邀请码绑定）',
      });
      // Every account an invite bound, and the code not used yet (sent, perhaps, to the lost phone).
      expect(await cliIn(dataDir, ['unbind', '李华'])).toMatchObject({
        code: 0,
        out: '已解除 李华 的聊天账号 telegram:9301。该账号发来的消息不再被识别，待发给它的消息已取消。\n1 个尚未使用的邀请码已作废。',
      });
      const unused = /邀请码：([2-9A-HJ-NP-Z]{8})/.exec(again.out)?.[1] ?? '';
      expect(await redeemInvite({ prisma: bot.prisma, now: () => new Date('2026-11-25T04:00:00Z') }, { code: unused, identity: 'telegram:9302' })).toEqual({
        ok: false,
        error: 'expired',
      });
      expect(await bot.prisma.chatIdentity.count({ where: { identity: 'telegram:9301' } })).toBe(0);
      expect(await cliIn(dataDir, ['unbind', 'li', '--locale', 'en'])).toMatchObject({ code: 0, out: '李华 has no chat account bound with an invite: nothing to unbind.' });
      expect(await cliIn(dataDir, ['unbind'])).toMatchObject({ code: 2, err: '缺少参数：<人员>' });
    }));

  it('holds terminal chats in the bot, two at once, each answered in its own terminal', () =>
    besideABot(async (_bot, dataDir) => {
      /** A terminal chat typed line by line: what it printed, and its exit code. */
      const chat = async (member: string, ...lines: string[]) => {
        const session = terminalChat(dataDir, member, Readable.from(lines.map((line) => `${line}\n`)));
        const code = await session.exit;
        return { code, out: session.out().trim().split('\n'), err: session.err().trim() };
      };
      const [director, wang] = await Promise.all([chat('director', '2020年技改完成率'), chat('wang', '/report', '19.6亿')]);
      expect(director).toEqual({
        code: 0,
        err: '',
        out: [
          '以 林志强 的身份与报数助手对话。输入问题或数字后回车；Ctrl-D 结束。',
          '工业技改投资：1–12月累计 2.43 亿元，完成年度目标 3 亿元的 81%，序时进度 100%，落后 19 个百分点；同比增长 34.1%。',
        ],
      });
      expect(wang.code).toBe(0);
      expect(wang.out.slice(1)).toEqual([
        '王股长您好！请报送 2026年11月 数据（截止 11月30日），共 4 项。直接回复数字即可，可带单位。',
        '(1/4) 规上工业总产值 1–11月累计（亿元）？',
        '(2/4) 规上工业增加值 1–11月累计（亿元）？',
      ]);
      // The dialogue is the bot's: a later terminal chat resumes it.
      const again = await chat('wang', '/report');
      expect(again.out.at(-1)).toBe('(2/4) 规上工业增加值 1–11月累计（亿元）？');
      const nobody = await chat('nobody', '你好');
      expect(nobody.code).toBe(1);
      expect(nobody.err).toMatch(/^没有 key 或姓名为“nobody”的人员。可选：director（林志强）、/);
      expect(await chat('', '你好')).toMatchObject({ code: 2 });
    }));

  it('stops with a terminal chat still open: the chat is told, and ends after what was typed is answered', () =>
    besideABot(async (bot, dataDir) => {
      // Someone has the chat open and has typed one question; they never press Ctrl-D.
      const typing = new PassThrough();
      const chatting = terminalChat(dataDir, 'director', typing);
      typing.write('2020年技改完成率\n');
      await vi.waitFor(() => expect(chatting.out()).toContain('81%'), { timeout: 30_000 });
      await bot.stop();
      expect(await chatting.exit).toBe(0);
      expect(chatting.err().trim()).toBe('机器人正在停止，本次终端对话已结束。');
      expect(existsSync(adminSocketPath(dataDir))).toBe(false);
    }));

  it('takes over a socket file left by a bot that crashed', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'baoshu-stale-'));
    const socketPath = adminSocketPath(dir);
    await writeFile(socketPath, '');
    const socket = await serveAdminCommands(socketPath, {
      command: async (request, io) => {
        io.stdout(request.argv.join(' '));
        return 0;
      },
      chat: async () => 1,
    });
    try {
      const out: string[] = [];
      expect(await runInBot(socketPath, { argv: ['missing'], cwd: dir }, { stdout: (line) => out.push(line), stderr: () => {} })).toBe(0);
      expect(out).toEqual(['missing']);
    } finally {
      await socket.close('机器人正在停止，本次终端对话已结束。');
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('tells the terminal chat, when the bot went away under it, that saved answers are kept and how to go on', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'baoshu-gone-chat-'));
    await writeFile(path.join(dir, 'pglite.lock'), String(process.pid));
    const dying = net.createServer((connection) => connection.once('data', () => connection.end('{"out":"(1/2) 工业投资…"}\n')));
    await new Promise<void>((resolve) => dying.listen(adminSocketPath(dir), resolve));
    try {
      let said = '';
      const error = new PassThrough();
      error.on('data', (chunk: Buffer) => (said += chunk.toString()));
      const code = await runTerminalChat({ argv: ['--as', 'wang'], env: { DATA_DIR: dir }, input: Readable.from(['4家\n']), output: new PassThrough(), error });
      expect(code).toBe(1);
      expect(said).toContain('正在运行的机器人停止了（可能被强制结束），本次终端对话已断开。');
      expect(said).toContain('最后发出的那条消息如果没有得到回复，就是没有保存，请再发一次。');
    } finally {
      await new Promise((resolve) => dying.close(resolve));
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('says so when the bot stops before the command has finished, and exits 1', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'baoshu-gone-'));
    await writeFile(path.join(dir, 'pglite.lock'), String(process.pid));
    // A bot that prints a line and dies.
    const dying = net.createServer((connection) => connection.once('data', () => connection.end('{"out":"已导入 …"}\n')));
    await new Promise<void>((resolve) => dying.listen(adminSocketPath(dir), resolve));
    try {
      const result = await cliIn(dir, ['import', 'figures.csv']);
      expect(result).toEqual({ code: 1, out: '已导入 …', err: '正在运行的机器人在命令完成前停止了；请查看它的日志，必要时再运行一次。' });
    } finally {
      await new Promise((resolve) => dying.close(resolve));
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('says in plain words that the embedded database is in use when no bot answers for it, and exits 1', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'baoshu-locked-'));
    try {
      // A live process (this one) owns the lock with no socket, as the terminal chat would.
      await writeFile(path.join(dir, 'pglite.lock'), String(process.pid));
      const result = await cliIn(dir, ['progress']);
      expect(result.code).toBe(1);
      expect(result.err).toBe(
        `内置数据库 ${dir} 正被另一个进程（${process.pid}）使用（正在运行的 npm start、终端对话或另一条命令）。请等它结束或停止它后再试；如需多个进程同时使用，请改用 PostgreSQL 服务器（DATABASE_URL）。`,
      );
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});

describe('the terminal chat on a broken organisation file', () => {
  it('lists its problems in Chinese and exits 1', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'baoshu-chat-org-'));
    try {
      let said = '';
      const error = new PassThrough();
      error.on('data', (chunk: Buffer) => (said += chunk.toString()));
      const code = await runTerminalChat({
        argv: ['--as', 'wang'],
        env: { DATA_DIR: path.join(dir, 'data'), ORG_FILE: manyMistakes.pathname },
        input: Readable.from([]),
        output: new PassThrough(),
        error,
      });
      expect(code).toBe(1);
      // A new data folder is said first (the database was made before the file was read), then every problem.
      const [note, ...rest] = said.split('\n');
      expect(note).toMatch(/^注意：数据目录 .* 里原来没有数据库/);
      expect(rest.join('\n')).toMatch(/^组织文件有 \d+ 处问题，未作任何更改：\n/);
      expect(said).toContain('indicators[0].unit（第 43 行）：未知单位“亿美元”');
      expect(said).not.toMatch(ENGLISH);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});

describe('the command line and file problems', () => {
  const cases = [
    ...ARG_PROBLEM_CODES.map((code) => [`problems.args.${code}`, { option: '--yaer' }] as const),
    ...ORG_FILE_READ_CODES.map((code) => [`problems.org_file.${code}`, { file: '/srv/org.yaml', error: 'EIO' }] as const),
  ];
  it.each(cases)('say %s in Chinese and in English, every placeholder filled', (key, params) => {
    for (const t of [translator('zh-CN'), translator('en')]) {
      const text = t(key, params);
      expect(text).not.toMatch(/\{\w+\}/);
      expect(text).not.toBe(key);
    }
    expect(translator('zh-CN')(key, params)).not.toMatch(ENGLISH);
  });
});
