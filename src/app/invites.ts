import { createHash, randomInt } from 'node:crypto';
import type { Locale } from '../core/domain.js';
import { type Result, err, ok } from '../core/result.js';
import type { AppDeps, Tx } from './deps.js';

// No 0/O, 1/I/L: codes are read off a screen and typed on a phone.
const ALPHABET = '23456789ABCDEFGHJKMNPQRSTUVWXYZ';
const CODE_LENGTH = 8;

export const DEFAULT_INVITE_HOURS = 72;

const hashCode = (code: string) => createHash('sha256').update(normaliseCode(code)).digest('hex');

/** Codes are compared case-insensitively, ignoring spaces and dashes people add when typing. */
export function normaliseCode(code: string): string {
  return code.replace(/[\s-]/g, '').toUpperCase();
}

export type CreateInviteError = 'unknown_member';

/**
 * Creates a one-time code that binds a chat account to `memberKey`; only its hash is stored. An unknown or
 * inactive member is refused.
 */
export async function createInvite(
  deps: AppDeps,
  input: { memberKey: string; hours?: number; actor: string },
): Promise<Result<{ code: string; expiresAt: Date; memberName: string }, CreateInviteError>> {
  const member = await deps.prisma.member.findFirst({ where: { key: input.memberKey, active: true } });
  if (!member) return err('unknown_member');
  const code = Array.from({ length: CODE_LENGTH }, () => ALPHABET[randomInt(ALPHABET.length)]).join('');
  const now = deps.now();
  const expiresAt = new Date(now.getTime() + (input.hours ?? DEFAULT_INVITE_HOURS) * 3_600_000);
  await deps.prisma.$transaction([
    deps.prisma.invite.create({ data: { codeHash: hashCode(code), memberId: member.id, createdAt: now, expiresAt } }),
    deps.prisma.auditLog.create({
      data: { at: now, actor: input.actor, action: 'invite.create', subject: member.key, details: { expiresAt: expiresAt.toISOString() } },
    }),
  ]);
  return ok({ code, expiresAt, memberName: member.name });
}

export type RedeemError = 'unknown_code' | 'expired' | 'used' | 'too_many';

/**
 * Refused codes one chat account may send in an hour before every code it sends is refused unread, the
 * right one too: 31^8 codes cannot be guessed at this pace, and a person who mistyped waits an hour.
 */
export const BIND_ATTEMPTS_PER_HOUR = 5;
const REFUSED = 'invite.refused';

/**
 * Binds `identity` (`telegram:123`) to the invite's member and uses the code up, in one transaction; a
 * second use, an expired code or an unknown one is refused, and counted against the identity (an audit
 * row): past `BIND_ATTEMPTS_PER_HOUR` refusals, every code is refused for the rest of the hour.
 */
export async function redeemInvite(
  deps: AppDeps,
  input: { code: string; identity: string },
): Promise<Result<{ memberId: number; memberKey: string }, RedeemError>> {
  return deps.prisma.$transaction((tx) => redeemInviteIn(tx, input, deps.now()));
}

/** redeemInvite inside the caller's transaction (the chat binds in the transaction of the message). */
export async function redeemInviteIn(
  tx: Tx,
  input: { code: string; identity: string },
  now: Date,
): Promise<Result<{ memberId: number; memberKey: string }, RedeemError>> {
  const since = new Date(now.getTime() - 3_600_000);
  const refused = await tx.auditLog.count({ where: { action: REFUSED, subject: input.identity, at: { gt: since } } });
  if (refused >= BIND_ATTEMPTS_PER_HOUR) return err('too_many');
  const refuse = async (error: Exclude<RedeemError, 'too_many'>) => {
    await tx.auditLog.create({ data: { at: now, actor: 'system', action: REFUSED, subject: input.identity, details: { error } } });
    return err(error);
  };
  const invite = await tx.invite.findUnique({ where: { codeHash: hashCode(input.code) }, include: { member: true } });
  if (!invite || !invite.member.active) return refuse('unknown_code');
  if (invite.usedAt) return refuse('used');
  if (invite.expiresAt <= now) return refuse('expired');
  const { count } = await tx.invite.updateMany({ where: { id: invite.id, usedAt: null }, data: { usedAt: now, usedBy: input.identity } });
  if (count !== 1) return refuse('used');
  await tx.chatIdentity.upsert({
    where: { identity: input.identity },
    create: { identity: input.identity, memberId: invite.memberId, source: 'invite', boundAt: now },
    update: { memberId: invite.memberId, source: 'invite', boundAt: now },
  });
  await tx.auditLog.create({
    data: { at: now, actor: invite.member.key, action: 'invite.redeem', subject: input.identity },
  });
  return ok({ memberId: invite.memberId, memberKey: invite.member.key });
}

export type TerminalBinding = { memberId: number; memberKey: string; name: string; locale: Locale };

/** Why `--as` named nobody: no member, or several, with the members to choose from. */
export type TerminalBindError = { code: 'unknown_member' | 'several_members'; choices: { key: string; name: string }[] };

/**
 * Binds the terminal chat (`terminal:<member key>`) to the active member the administrator at the machine
 * names (`npm run chat -- --as <member>`), by key or by name (what people know; width, case and spaces
 * aside), with an audit entry like any binding. Nobody or several found is refused with the choices.
 */
export async function bindTerminal(
  deps: AppDeps,
  input: { member: string; actor: string },
): Promise<Result<TerminalBinding, TerminalBindError>> {
  const now = deps.now();
  return deps.prisma.$transaction(async (tx) => {
    const members = await tx.member.findMany({ where: { active: true }, orderBy: { id: 'asc' } });
    const fold = (text: string) => text.normalize('NFKC').replace(/\s+/g, '').toLowerCase();
    const byKey = members.filter((member) => member.key === input.member);
    const matches = byKey.length > 0 ? byKey : members.filter((member) => fold(member.name) === fold(input.member) || fold(member.key) === fold(input.member));
    const choices = (list: typeof members) => list.map((member) => ({ key: member.key, name: member.name }));
    const member = matches[0];
    if (!member) return err({ code: 'unknown_member' as const, choices: choices(members) });
    if (matches.length > 1) return err({ code: 'several_members' as const, choices: choices(matches) });
    const identity = `terminal:${member.key}`;
    await bindOnTheSpot(tx, { identity, memberId: member.id, source: 'terminal', at: now });
    await tx.auditLog.create({ data: { at: now, actor: input.actor, action: 'terminal.bind', subject: identity } });
    return ok({ memberId: member.id, memberKey: member.key, name: member.name, locale: member.locale === 'en' ? 'en' : 'zh-CN' });
  });
}

/**
 * Binds a chat that the administrator opens as a member (the terminal's `terminal:<key>`, the simulator's
 * `web:<key>`), written only when it is not bound so already: every write to chat_identity makes each
 * running bot read the organisation again.
 */
export async function bindOnTheSpot(
  tx: Tx,
  input: { identity: string; memberId: number; source: 'terminal' | 'web'; at: Date },
): Promise<void> {
  const bound = await tx.chatIdentity.findUnique({ where: { identity: input.identity } });
  if (bound?.memberId === input.memberId && bound.source === input.source) return;
  await tx.chatIdentity.upsert({
    where: { identity: input.identity },
    create: { identity: input.identity, memberId: input.memberId, source: input.source, boundAt: input.at },
    update: { memberId: input.memberId, source: input.source, boundAt: input.at },
  });
}
