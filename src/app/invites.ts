import { createHash, randomInt } from 'node:crypto';
import type { Locale } from '../core/domain.js';
import { type Translate, joinList } from '../core/i18n.js';
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

/**
 * Why a member named by the administrator (a key or a name) was not found: nobody, several, or someone the
 * organisation file no longer lists (`inactive`: who), with the active members to choose from.
 */
export type MemberNamedError = {
  code: 'unknown_member' | 'several_members' | 'inactive_member';
  choices: { key: string; name: string }[];
  inactive?: { key: string; name: string };
};

type Named = { id: number; key: string; name: string; locale: string };

/**
 * The member the administrator names, by key or by name (what people know; width, case and spaces aside):
 * an active one, or with `inactive` one the file no longer lists too. Nobody or several found is refused
 * with the members to choose from; someone who left, when not asked for, as having left.
 */
export async function memberNamed(
  db: Pick<Tx, 'member'>,
  words: string,
  /** `inactive`: someone the file no longer lists is found too (to unbind what they left behind). */
  options: { inactive?: boolean } = {},
): Promise<Result<Named, MemberNamedError>> {
  const everyone = await db.member.findMany({ orderBy: { id: 'asc' }, select: { id: true, key: true, name: true, locale: true, active: true } });
  const members = everyone.filter((member) => member.active || options.inactive === true);
  const fold = (text: string) => text.normalize('NFKC').replace(/\s+/g, '').toLowerCase();
  const named = (list: typeof everyone) => {
    const byKey = list.filter((member) => member.key === words);
    return byKey.length > 0 ? byKey : list.filter((member) => fold(member.name) === fold(words) || fold(member.key) === fold(words));
  };
  const matches = named(members);
  const choices = (list: Named[]) => list.map((member) => ({ key: member.key, name: member.name }));
  const member = matches[0];
  if (!member) {
    // Someone who left (the file no longer lists them) is said to have left, not taken for a typo.
    const left = named(everyone)[0];
    if (left) return err({ code: 'inactive_member', choices: choices(members), inactive: { key: left.key, name: left.name } });
    return err({ code: 'unknown_member', choices: choices(members) });
  }
  if (matches.length > 1) return err({ code: 'several_members', choices: choices(matches) });
  return ok(member);
}

/** Why nobody answers to `given`, with the members to choose from: what the CLI and the terminal chat say. */
export function memberNotFoundText(t: Translate, given: string, error: MemberNamedError): string {
  const choices = joinList(t, error.choices.map((member) => t('cli.member_choice', member)));
  if (error.code === 'inactive_member' && error.inactive) return t('cli.member_inactive', { ...error.inactive, choices });
  return t(error.code === 'several_members' ? 'checks.several_members' : 'checks.unknown_member', { given, choices });
}

/** A chat account a member is bound to, as the administrator is shown it. */
export interface Binding {
  identity: string;
  /** `org_file` (listed in the organisation file) or `invite`. */
  source: string;
  boundAt: Date;
}

/** The chat accounts a member is reached on (not the terminal's or the simulator's, which are the administrator's own). */
async function chatAccountsOf(db: Pick<Tx, 'chatIdentity'>, memberId: number): Promise<Binding[]> {
  const rows = await db.chatIdentity.findMany({ where: { memberId }, orderBy: [{ boundAt: 'asc' }, { id: 'asc' }] });
  return rows
    .filter((row) => !row.identity.startsWith('terminal:') && !row.identity.startsWith('web:'))
    .map((row) => ({ identity: row.identity, source: row.source, boundAt: row.boundAt }));
}

/**
 * Creates a one-time code that binds a chat account to the member named (key or name); only its hash is
 * stored. An unknown or inactive member is refused. The accounts the member is bound to already are
 * returned: a new code adds an account, it does not replace one (`unbindMember` does that).
 */
export async function createInvite(
  deps: AppDeps,
  input: { member: string; hours?: number; actor: string },
): Promise<Result<{ code: string; expiresAt: Date; memberKey: string; memberName: string; bound: Binding[]; pending: number }, MemberNamedError>> {
  const named = await memberNamed(deps.prisma, input.member);
  if (!named.ok) return named;
  const member = named.value;
  const now = deps.now();
  // Earlier codes stay valid until they expire or are used (unbind voids them): said, so none is forgotten.
  const pending = await deps.prisma.invite.count({ where: { memberId: member.id, usedAt: null, expiresAt: { gt: now } } });
  const code = Array.from({ length: CODE_LENGTH }, () => ALPHABET[randomInt(ALPHABET.length)]).join('');
  const expiresAt = new Date(now.getTime() + (input.hours ?? DEFAULT_INVITE_HOURS) * 3_600_000);
  await deps.prisma.$transaction([
    deps.prisma.invite.create({ data: { codeHash: hashCode(code), memberId: member.id, createdAt: now, expiresAt } }),
    deps.prisma.auditLog.create({
      data: { at: now, actor: input.actor, action: 'invite.create', subject: member.key, details: { expiresAt: expiresAt.toISOString() } },
    }),
  ]);
  return ok({ code, expiresAt, memberKey: member.key, memberName: member.name, bound: await chatAccountsOf(deps.prisma, member.id), pending });
}

/** Refused: nobody or several named; an account the member is not bound to (with those they are); one the file binds. */
export type UnbindError =
  | MemberNamedError
  | { code: 'not_bound'; memberKey: string; memberName: string; bound: Binding[] }
  | { code: 'in_org_file'; memberKey: string; memberName: string };

/**
 * Unbinds a member's chat account (a lost or changed phone): the one named, else every account bound by
 * an invite, and then the member's codes not used yet are void too (`voided`: a code sent to the lost phone
 * must not bind another one). An account the organisation file lists is the file's to remove (a load would
 * bind it again), so it is kept and returned as such. Messages still waiting to go to an unbound account
 * are cancelled; each unbinding is in the audit log. Every running bot stops answering the account at once
 * (a write to chat_identity makes them read the organisation again). A member the file no longer lists may
 * be unbound too: listed again, they would otherwise come back with the accounts they had.
 */
export async function unbindMember(
  deps: AppDeps,
  input: { member: string; identity?: string; actor: string },
): Promise<Result<{ memberKey: string; memberName: string; removed: Binding[]; kept: Binding[]; voided: number }, UnbindError>> {
  const now = deps.now();
  return deps.prisma.$transaction(async (tx) => {
    const named = await memberNamed(tx, input.member, { inactive: true });
    if (!named.ok) return named;
    const member = named.value;
    const bound = await chatAccountsOf(tx, member.id);
    const identity = input.identity?.trim();
    const asked = identity === undefined ? bound : bound.filter((binding) => binding.identity === identity);
    const who = { memberKey: member.key, memberName: member.name };
    if (input.identity !== undefined && asked.length === 0) return err({ code: 'not_bound' as const, ...who, bound });
    const removed = asked.filter((binding) => binding.source !== 'org_file');
    const kept = asked.filter((binding) => binding.source === 'org_file');
    if (input.identity !== undefined && removed.length === 0) return err({ code: 'in_org_file' as const, ...who });
    const identities = removed.map((binding) => binding.identity);
    if (identities.length > 0) {
      await tx.chatIdentity.deleteMany({ where: { memberId: member.id, identity: { in: identities } } });
      await tx.outboxMessage.updateMany({ where: { chat: { in: identities }, status: 'pending' }, data: { status: 'cancelled' } });
      await tx.auditLog.createMany({
        data: identities.map((identity) => ({ at: now, actor: input.actor, action: 'identity.unbind', subject: identity, details: { member: member.key } })),
      });
    }
    let voided = 0;
    if (input.identity === undefined) {
      ({ count: voided } = await tx.invite.updateMany({ where: { memberId: member.id, usedAt: null, expiresAt: { gt: now } }, data: { expiresAt: now } }));
      if (voided > 0) await tx.auditLog.create({ data: { at: now, actor: input.actor, action: 'invite.void', subject: member.key, details: { count: voided } } });
    }
    return ok({ ...who, removed, kept, voided });
  });
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

/**
 * Binds the terminal chat (`terminal:<member key>`) to the active member the administrator at the machine
 * names (`npm run chat -- --as <member>`), by key or by name (`memberNamed`), with an audit entry like any
 * binding. Nobody or several found is refused with the choices.
 */
export async function bindTerminal(
  deps: AppDeps,
  input: { member: string; actor: string },
): Promise<Result<TerminalBinding, MemberNamedError>> {
  const now = deps.now();
  return deps.prisma.$transaction(async (tx) => {
    const named = await memberNamed(tx, input.member);
    if (!named.ok) return named;
    const member = named.value;
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
