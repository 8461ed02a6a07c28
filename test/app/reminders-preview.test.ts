import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../../src/cli/run.js';
import { openDatabase } from '../../src/db/database.js';
import { shanghai } from '../helpers/reminder-timeline.js';
import { createManualClock, remindersSent, setUpDemoBureau, startBot, submit } from '../helpers/reminder-world.js';

/*
 * `npm run cli -- reminders --at <time>` prints what the reminder job would send at that moment and sends
 * nothing; the job, run at that moment afterwards, sends exactly that. The CLI opens the embedded
 * database in DATA_DIR, as an administrator's shell would.
 */

const AT = '2026-11-27T09:00:00+08:00';

describe('the reminders preview of the admin CLI', () => {
  let dir: string;
  let dataDir: string;

  async function cli(...argv: string[]): Promise<{ code: number; lines: string[] }> {
    const lines: string[] = [];
    const io = { stdout: (line: string) => lines.push(...line.split('\n')), stderr: (line: string) => lines.push(line) };
    const code = await runCli(argv, { env: { DATA_DIR: dataDir }, io, now: () => new Date(AT) });
    return { code, lines };
  }

  /** Runs `work` on the embedded database, closed again afterwards so that the CLI can open it. */
  async function withDatabase<T>(work: (prisma: Awaited<ReturnType<typeof openDatabase>>['prisma']) => Promise<T>): Promise<T> {
    const database = await openDatabase({ dataDir });
    try {
      return await work(database.prisma);
    } finally {
      await database.close();
    }
  }

  beforeAll(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'baoshu-reminders-'));
    dataDir = path.join(dir, 'data');
    await withDatabase(async (prisma) => {
      const ids = await setUpDemoBureau(prisma, shanghai('2026-11-19 09:00'));
      // 中小企业局 has reported, 运行监测股 all but one figure; the others nothing.
      await submit(prisma, ids, ['sme_credit_granted', 'sme_loans_issued'], shanghai('2026-11-23 15:00'));
      await submit(prisma, ids, ['industrial_output_value', 'industrial_added_value', 'industrial_investment'], shanghai('2026-11-26 11:00'));
    });
  }, 120_000);
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('prints who gets which reminder, sends nothing, and the job then sends exactly that', async () => {
    const preview = await cli('reminders', '--at', AT);
    expect(preview.code).toBe(0);
    expect(preview.lines).toEqual([
      '2026-11-27 09:00 将发送 7 条提醒（预览，不会发送）：',
      '  2026-11-27 09:00　截止前提醒　2026-11　王明 → telegram:wang：新增规上企业',
      '  2026-11-27 09:00　截止前提醒　2026-11　周婷 → telegram:zhou：新增规上企业',
      '  2026-11-27 09:00　截止前提醒　2026-11　李华 → telegram:li：工业技改投资、清洁生产审核企业',
      '  2026-11-27 09:00　截止前提醒　2026-11　张伟 → telegram:zhang：5G基站建设、4G基站改造、20户以上自然村光网覆盖',
      '  2026-11-27 09:00　截止前提醒　2026-11　陈静 → telegram:chen：新增高新技术企业、科技型中小企业入库',
      '  2026-11-27 09:00　截止前提醒　2026-11　刘洋 → telegram:liu：新增研发机构、R&D经费占GDP比重',
      '  2026-11-27 09:00　截止前提醒　2026-11　黄磊 → telegram:huang：新增研发机构、R&D经费占GDP比重',
    ]);
    // A time without an offset is the organisation's wall clock (Asia/Shanghai), whatever zone the server runs in.
    for (const wall of ['2026-11-27T09:00', '2026-11-27 09:00', '2026-11-27T09:00:00']) {
      expect(await cli('reminders', '--at', wall)).toEqual(preview);
    }
    expect((await cli('reminders', '--at', '2026-11-31T09:00')).code).toBe(2);
    expect((await cli('reminders', '--at', 'next friday')).code).toBe(2);

    await withDatabase(async (prisma) => {
      expect(await prisma.outboxMessage.count()).toBe(0);
      expect(await prisma.conversation.count()).toBe(0);
      const bot = await startBot(prisma, createManualClock(new Date(AT)));
      try {
        await bot.tick();
      } finally {
        await bot.stop();
      }
      const previewed = preview.lines.slice(1).map((line) => /→ (\S+)：/.exec(line)?.[1]);
      expect(bot.channel.sent.map((message) => message.chat)).toEqual(previewed);
      expect(Object.values(await remindersSent(prisma)).flat()).toEqual(Array(7).fill('Fri 2026-11-27 09:00 before-1'));
    });

    const after = await cli('reminders', '--at', AT);
    expect(after.lines[0]).toBe('2026-11-27 09:00 将发送 0 条提醒，另有 7 条无法送达或已发送过（预览，不会发送）：');
    expect(after.lines.slice(1).every((line) => line.endsWith('［已发送过，不会重复］'))).toBe(true);
  });

  it('previews a catch-up in quiet hours at the moment it would go out, none on a weekend, and a month by --period', async () => {
    const night = await cli('reminders', '--at', '2026-11-25T23:30:00+08:00', '--period', '2026-11');
    expect(night.lines[1]).toMatch(/^ {2}2026-11-26 08:00　截止前提醒　2026-11　王明 → telegram:wang/);
    // On a Friday night the catch-up would land on Saturday: by Monday morning the deadline's own reminder goes instead.
    const friday = await cli('reminders', '--at', '2026-11-27T23:30:00+08:00', '--period', '2026-11');
    expect(friday.lines).toEqual(['2026-11-27 23:30 没有要发送的提醒。']);
    // The escalation is due from its day until it is sent, so it shows on each of those days: it says it goes once.
    const escalation = await cli('reminders', '--at', '2026-12-01T09:00:00+08:00', '--period', '2026-11');
    expect(escalation.lines.filter((line) => line.includes('　逾期汇总（局领导，每期只发一次）　2026-11　'))).not.toEqual([]);
    const october = await cli('reminders', '--at', AT, '--period', '2026-10');
    expect(october.lines).toEqual(['2026-11-27 09:00 没有要发送的提醒。']);
  });

  it('refuses to preview without --at', async () => {
    expect((await cli('reminders')).code).toBe(2);
  });
});
