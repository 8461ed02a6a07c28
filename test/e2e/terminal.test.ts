/*
 * The terminal chat as a person uses it: `node --import tsx src/cli/chat-main.ts --as <member>` (what
 * `npm run chat` runs), lines typed on stdin, answers read from stdout, on a database prepared by the
 * admin CLI. The process runs on the real clock, so the assertions hold on any date.
 */
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { translator } from '../../src/core/i18n.js';
import { currentDemoPeriod } from '../helpers/demo-org.js';
import { chatAs, cli, removeTemporaryFolders, stopAll, temporaryFolder } from '../helpers/processes.js';

const t = translator('zh-CN');

describe('the terminal chat', () => {
  let env: Record<string, string>;

  beforeAll(async () => {
    const dataDir = path.join(await temporaryFolder('terminal'), 'data');
    await cli(dataDir, 'demo-data');
    env = { DATA_DIR: dataDir };
  }, 120_000);

  afterAll(async () => {
    await stopAll();
    await removeTemporaryFolders();
  });

  it("answers the director's 2020年技改完成率 with the seed's 81%", async () => {
    const chat = await chatAs('director', ['2020年技改完成率'], env);
    expect(chat.code).toBe(0);
    expect(chat.stdout).toContain(t('chat.terminal_intro', { name: '林志强' }));
    expect(chat.stdout).toMatch(/^工业技改投资：1–12月累计 2\.43 亿元，完成年度目标 3 亿元的 81%/m);
  });

  it('takes a month from a section head, re-asking a wrong answer, and confirms the submission', async () => {
    const period = currentDemoPeriod();
    const typed = ['/report', '19.6亿', '还在统计', '两千三百万', '196000万', '3家 博昇乐、创睿极光、金丰', '确认'];
    const chat = await chatAs('wang', typed, env);
    expect(chat.code).toBe(0);
    const lines = chat.stdout.split('\n');
    expect(lines).toContain(`(1/4) 规上工业总产值 ${period.span}（亿元）？`);
    // "还在统计" is no number: explained, and question 2 asked again.
    const reask = lines.findIndex((line) => line.startsWith('没有找到数字：“还在统计”'));
    expect(reask).toBeGreaterThan(0);
    expect(lines[reask + 1]).toMatch(/^\(2\/4\) 规上工业增加值/);
    expect(lines).toContain('4. 新增规上企业 3 家（备注：博昇乐、创睿极光、金丰）');
    expect(lines).toContain(`已提交 ${period.label} 数据 4 项。`);
  });

  it('says it is all reported when the section head opens the same month again', async () => {
    const chat = await chatAs('wang', ['/report'], env);
    expect(chat.stdout).toContain(t('dialogue.all_reported', { period: currentDemoPeriod().label, count: 4 }));
  });

  it('exits non-zero, naming the member and listing the choices, when no member has that key or name', async () => {
    const chat = await chatAs('nobody', [], env);
    expect(chat.code).not.toBe(0);
    expect(chat.stderr).toContain('没有 key 或姓名为“nobody”的人员。可选：director（林志强）、deputy（吴建国）');
    expect(chat.stdout).toBe('');
  });

  it('exits non-zero with the usage when no member is named', async () => {
    const chat = await chatAs(undefined, [], env);
    expect(chat.code).not.toBe(0);
    expect(chat.stderr).toContain(t('chat.terminal_usage'));
  });
});
