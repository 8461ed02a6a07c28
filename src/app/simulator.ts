import type { AppDeps } from './deps.js';
import { bindOnTheSpot } from './invites.js';

/** The members an administrator may chat as in the simulator: every active one, in the file's order. */
export async function simulatorMembers(deps: AppDeps): Promise<Array<{ key: string; name: string }>> {
  return deps.prisma.member.findMany({ where: { active: true }, orderBy: { id: 'asc' }, select: { key: true, name: true } });
}

/**
 * Binds the simulator's chat `web:<memberKey>` to the member, as the terminal chat binds `terminal:<key>`,
 * and records which administrator opened a chat as whom. False for an unknown or inactive member.
 */
export async function bindSimulatorChat(deps: AppDeps, input: { adminKey: string; memberKey: string }): Promise<boolean> {
  const member = await deps.prisma.member.findFirst({ where: { key: input.memberKey, active: true } });
  if (!member) return false;
  const identity = `web:${member.key}`;
  const now = deps.now();
  await deps.prisma.$transaction(async (tx) => {
    await bindOnTheSpot(tx, { identity, memberId: member.id, source: 'web', at: now });
    await tx.auditLog.create({ data: { at: now, actor: input.adminKey, action: 'simulator.open', subject: identity } });
  });
  return true;
}
