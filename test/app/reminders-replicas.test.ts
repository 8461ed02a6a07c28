import { afterAll, beforeAll, expect, it } from 'vitest';
import { enqueueDueReminders } from '../../src/app/reminders/enqueue.js';
import type { Database } from '../../src/db/database.js';
import { NOVEMBER_ESCALATION, NOVEMBER_REMINDERS, NOVEMBER_SUBMISSIONS, walkDays } from '../helpers/november-2026.js';
import { describeOnPostgres } from '../helpers/postgres.js';
import { shanghai } from '../helpers/reminder-timeline.js';
import { createManualClock, deliveriesAndSentRows, remindersSent, setUpDemoBureau, startBot, submit } from '../helpers/reminder-world.js';

/*
 * Two replicas sharing one PostgreSQL database (docs/architecture.md, The embedded database and
 * PostgreSQL: several replicas on one server), each with its own connection, its own outbox dispatcher and
 * its own Telegram, both running the reminder job at the same moments through the month of November 2026.
 * Together they must send each reminder once. PostgreSQL only: PGlite is one process's database.
 */

const TICK_TIMES = ['08:00', '09:00', '13:37'];

describeOnPostgres('two replicas on one database', (ctx) => {
  const databases: Database[] = [];
  let replicas: Array<Awaited<ReturnType<typeof startBot>>> = [];
  let sent: Record<string, string[]>;

  beforeAll(async () => {
    const clock = createManualClock(shanghai('2026-11-19 00:00'));
    // One after the other, as replicas of a deployment start: the first applies the migrations.
    for (let i = 0; i < 2; i += 1) databases.push(await ctx.open());
    const [one, two] = databases as [Database, Database];
    const ids = await setUpDemoBureau(one.prisma, clock.now());
    // A send takes a few milliseconds, as over the network, so that the two replicas' sends overlap.
    replicas = [await startBot(one.prisma, clock, { sendLatencyMs: 3 }), await startBot(two.prisma, clock, { sendLatencyMs: 3 })];

    const submissions = NOVEMBER_SUBMISSIONS.map(({ at, keys }) => ({ at: shanghai(at), keys }));
    for (const day of walkDays()) {
      for (const time of TICK_TIMES) {
        const at = shanghai(`${day} ${time}`);
        while (submissions[0] && submissions[0].at <= at) {
          const { at: reportedAt, keys } = submissions.shift()!;
          await submit(two.prisma, ids, keys, reportedAt);
        }
        clock.set(at);
        // Both replicas' jobs fire at the same moment: both plan, then both send at once.
        await Promise.all(databases.map((database) => enqueueDueReminders({ prisma: database.prisma, now: clock.now })));
        await Promise.all(replicas.map((replica) => replica.runtime.dispatcher.flush()));
        // And whole runs overlapping, as a slow run still going when the next one starts.
        await Promise.all([...replicas, ...replicas].map((replica) => replica.tick()));
      }
    }
    sent = await remindersSent(one.prisma);
  }, 240_000);

  afterAll(async () => {
    for (const replica of replicas) await replica.stop();
  });

  it('sends each reminder of the month exactly once between them', async () => {
    expect(sent).toEqual(NOVEMBER_REMINDERS);
    const channels = replicas.map((replica) => replica.channel);
    const { delivered, sentRows } = await deliveriesAndSentRows(databases[0]!.prisma, ...channels);
    expect(delivered).toEqual(sentRows);
    expect(channels.reduce((sum, channel) => sum + channel.sent.length, 0)).toBe(54);
  });

  it('escalates to each director once, whichever replica sends it', () => {
    for (const director of ['director', 'deputy']) {
      expect(replicas.flatMap((replica) => replica.channel.textsTo(director))).toEqual([NOVEMBER_ESCALATION]);
    }
  });
});
