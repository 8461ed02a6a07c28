import { expect, it } from 'vitest';
import { BIND_ATTEMPTS_PER_HOUR } from '../../src/app/invites.js';
import { newInvite } from '../helpers/invites.js';
import { translator } from '../../src/core/i18n.js';
import { NOV_25, createClock, texts, useChat } from '../helpers/chat.js';
import { describeEachDatabase } from '../helpers/databases.js';

/*
 * Drill: a stranger probes the bot with 100 messages: people's and sections' names, indicators, questions,
 * commands, and guessed invite codes (`/start CODE`, `绑定 CODE`). Nothing but the few sentences meant for
 * strangers comes back — no figure, name or section — and after a handful of wrong codes every code is
 * refused for an hour, the right one too.
 */

const t = translator('zh-CN');
const FOR_STRANGERS = new Set([
  t('chat.stranger'),
  t('chat.bind_unknown_code'),
  t('chat.bind_expired'),
  t('chat.bind_used'),
  t('limits.bind_too_many'),
]);
const PROBES = [
  '王明', '林志强', '运行监测股', '办公室', '工业投资', '2020年工业投资完成率', '技改完成率', '谁没报', '序时进度', '/report',
  '/export 2020', '/help', 'help', '19.6亿', '/start', '/start director', "'; SELECT * FROM member; --", '进度', '新增规上企业 3家', '总览',
];
const guess = (i: number) => `${'ABCDEFGH23456789'.slice(i % 8, (i % 8) + 8)}`.padEnd(8, 'X');

describeEachDatabase('drill: a stranger probing', (ctx) => {
  const chat = useChat(ctx);

  it('learns no figure, name or section from 100 messages, and is refused every code after a few wrong ones', async () => {
    const clock = createClock(NOV_25);
    const { channel } = await chat.start({ now: clock.now });
    const { prisma } = ctx.db();
    const { code } = await newInvite({ prisma, now: clock.now }, { member: 'zhou', actor: 'cli' });
    const members = await prisma.member.findMany();
    const sections = await prisma.section.findMany();
    const indicators = await prisma.indicator.findMany();
    // 办公室 is named on purpose: the sentences for strangers send them there for a code.
    const secrets = [...members.map((m) => m.name), ...sections.map((s) => s.name), ...indicators.map((i) => i.name)].filter((name) => name !== '办公室');

    const replies: string[] = [];
    for (let i = 0; i < 100; i += 1) {
      const text = i % 3 === 0 ? `/start ${guess(i)}` : i % 3 === 1 ? `绑定 ${guess(i + 1)}` : PROBES[i % PROBES.length]!;
      replies.push(...texts(await channel.say('prober', text)));
      clock.advance(1_000);
    }
    expect(replies).toHaveLength(100);
    for (const reply of replies) {
      expect(FOR_STRANGERS.has(reply), reply).toBe(true);
      for (const secret of secrets) expect(reply).not.toContain(secret);
    }
    expect(replies.filter((reply) => reply === t('chat.bind_unknown_code'))).toHaveLength(BIND_ATTEMPTS_PER_HOUR);

    // Within the hour the right code is refused too, and binds nobody.
    expect(texts(await channel.say('prober', `/start ${code}`))).toEqual([t('limits.bind_too_many')]);
    expect(await prisma.chatIdentity.findUnique({ where: { identity: 'telegram:prober' } })).toBeNull();
    // Someone else with the right code is not held back by the prober.
    expect(texts(await channel.say('zhou-phone', `/start ${code}`))[0]).toBe('绑定成功！');

    // An hour after the last refused code the prober may try again (and is refused for the code now used).
    clock.advance(3_600_000);
    expect(texts(await channel.say('prober', `/start ${code}`))).toEqual([t('chat.bind_used')]);
    expect(await prisma.invite.count({ where: { usedBy: 'telegram:prober' } })).toBe(0);
  });
});
