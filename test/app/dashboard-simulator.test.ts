import { expect, it } from 'vitest';
import { planDueReminders } from '../../src/app/reminders/plan.js';
import { bindSimulatorChat, simulatorMembers } from '../../src/app/simulator.js';
import { describeEachDatabase, withDemoOrganisation } from '../helpers/databases.js';

// The morning of the deadline of November 2026: every section head is reminded.
const AT = new Date('2026-11-30T01:00:00Z');

describeEachDatabase('the dashboard simulator', (ctx) => {
  it('binds web:<member> to the member and audit-logs each administrator who opens a chat as them', async () => {
    const deps = ctx.deps(AT);
    await withDemoOrganisation(deps);
    expect((await simulatorMembers(deps)).map((member) => member.key)).toContain('wang');
    expect(await bindSimulatorChat(deps, { adminKey: 'admin', memberKey: 'wang' })).toBe(true);
    expect(await bindSimulatorChat(deps, { adminKey: 'admin', memberKey: 'wang' })).toBe(true);
    expect(await bindSimulatorChat(deps, { adminKey: 'admin', memberKey: 'nobody' })).toBe(false);
    const { prisma } = ctx.db();
    const wang = await prisma.member.findUniqueOrThrow({ where: { key: 'wang' } });
    expect(await prisma.chatIdentity.findUnique({ where: { identity: 'web:wang' } })).toMatchObject({ memberId: wang.id, source: 'web' });
    expect(await prisma.auditLog.count({ where: { action: 'simulator.open', actor: 'admin', subject: 'web:wang' } })).toBe(2);
  });

  it("never sends a reminder to the simulator, even when the member's last message came from it", async () => {
    const deps = ctx.deps(AT);
    await withDemoOrganisation(deps);
    const { prisma } = ctx.db();
    const li = await prisma.member.findUniqueOrThrow({ where: { key: 'li' } });
    await bindSimulatorChat(deps, { adminKey: 'admin', memberKey: 'li' });
    await prisma.chatIdentity.create({ data: { identity: 'telegram:7002', memberId: li.id, source: 'invite', boundAt: AT } });
    await prisma.conversation.upsert({
      where: { memberId: li.id },
      create: { memberId: li.id, state: {}, lastChat: 'web:li' },
      update: { lastChat: 'web:li' },
    });
    const reminders = (await planDueReminders(deps, AT)).filter((reminder) => reminder.memberKey === 'li');
    expect(reminders.length).toBeGreaterThan(0);
    for (const reminder of reminders) expect(reminder.chat).toBe('telegram:7002');
  });
});
