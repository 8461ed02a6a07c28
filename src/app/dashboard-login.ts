import { createHash, randomBytes } from 'node:crypto';
import { type Role } from '../core/domain.js';
import { type Result, err, ok } from '../core/result.js';
import type { AppDeps, Db, Tx } from './deps.js';

/*
 * Signing in to the web dashboard: a one-time link (printed by the CLI, sent in chat to a director who
 * asks) is redeemed once for a session cookie. Only SHA-256 hashes of either token are stored, so a copy
 * of the database signs nobody in; sessions live in the database, so they survive a restart and every
 * replica knows them.
 */

/** How long a link may wait to be opened. */
export const DASHBOARD_LINK_MINUTES = 30;
/** How long a signed-in browser stays signed in. */
export const DASHBOARD_SESSION_HOURS = 12;

const DAY_MS = 86_400_000;

const hashToken = (token: string) => createHash('sha256').update(token).digest('hex');
const newToken = () => randomBytes(32).toString('base64url');

/** Who may open the dashboard: directors and administrators, who see every section. */
export function mayUseDashboard(roles: readonly Role[]): boolean {
  return roles.includes('director') || roles.includes('admin');
}

/** The member a dashboard session belongs to. */
export interface DashboardMember {
  id: number;
  key: string;
  name: string;
  locale: 'zh-CN' | 'en';
  roles: Role[];
  isAdmin: boolean;
}

/** Why no link was made: no such active member, one who is neither director nor administrator, nobody who is. */
export type DashboardLinkError = 'unknown_member' | 'not_allowed' | 'nobody_allowed';

/** A link made: its token (shown once) and whom it signs in until when. */
export interface DashboardLink {
  token: string;
  expiresAt: Date;
  memberName: string;
  memberKey: string;
}

/**
 * Creates a one-time link token for `memberKey` (without one: the first active administrator, else the first
 * director); refused for anyone who is neither. Written in `db`, which may be the chat message's transaction.
 */
export async function createDashboardLink(
  db: Db | Tx,
  input: { memberKey?: string; actor: string; now: Date },
): Promise<Result<DashboardLink, DashboardLinkError>> {
  const member = input.memberKey
    ? await db.member.findFirst({ where: { key: input.memberKey, active: true } })
    : await firstAllowed(db);
  if (!member) return err(input.memberKey ? 'unknown_member' : 'nobody_allowed');
  if (!mayUseDashboard(member.roles)) return err('not_allowed');
  const token = newToken();
  const expiresAt = new Date(input.now.getTime() + DASHBOARD_LINK_MINUTES * 60_000);
  await db.dashboardLink.create({ data: { tokenHash: hashToken(token), memberId: member.id, createdAt: input.now, expiresAt } });
  await db.auditLog.create({
    data: { at: input.now, actor: input.actor, action: 'dashboard.link', subject: member.key, details: { expiresAt: expiresAt.toISOString() } },
  });
  return ok({ token, expiresAt, memberName: member.name, memberKey: member.key });
}

/** The first active administrator, else the first director, in the organisation file's order. */
async function firstAllowed(db: Db | Tx) {
  const members = await db.member.findMany({ where: { active: true }, orderBy: { id: 'asc' } });
  return members.find((member) => member.roles.includes('admin')) ?? members.find((member) => member.roles.includes('director'));
}

export type DashboardLoginError = 'unknown' | 'used' | 'expired';

/** Whether a link would sign in now, without using it up (the page that asks for the click). */
export async function dashboardLinkUsable(deps: AppDeps, token: string): Promise<boolean> {
  const link = await deps.prisma.dashboardLink.findUnique({ where: { tokenHash: hashToken(token) }, include: { member: true } });
  return link !== null && link.usedAt === null && link.expiresAt > deps.now() && link.member.active && mayUseDashboard(link.member.roles);
}

/**
 * Uses a link up and opens a session for its member, in one transaction; a second use is refused. Links
 * expired over a day ago (kept that long so that a late click is told "expired", not "unknown") and
 * expired sessions are deleted first.
 */
export async function redeemDashboardLink(
  deps: AppDeps,
  token: string,
): Promise<Result<{ session: string; expiresAt: Date }, DashboardLoginError>> {
  const now = deps.now();
  // Signing in is rare: a good moment to forget the links and sessions that can no longer sign anyone in.
  await deps.prisma.$transaction([
    deps.prisma.dashboardLink.deleteMany({ where: { expiresAt: { lt: new Date(now.getTime() - DAY_MS) } } }),
    deps.prisma.dashboardSession.deleteMany({ where: { expiresAt: { lte: now } } }),
  ]);
  return deps.prisma.$transaction(async (tx) => {
    const link = await tx.dashboardLink.findUnique({ where: { tokenHash: hashToken(token) }, include: { member: true } });
    if (!link || !link.member.active || !mayUseDashboard(link.member.roles)) return err('unknown');
    if (link.usedAt) return err('used');
    if (link.expiresAt <= now) return err('expired');
    const { count } = await tx.dashboardLink.updateMany({ where: { id: link.id, usedAt: null }, data: { usedAt: now } });
    if (count !== 1) return err('used');
    const session = newToken();
    const expiresAt = new Date(now.getTime() + DASHBOARD_SESSION_HOURS * 3_600_000);
    await tx.dashboardSession.create({ data: { tokenHash: hashToken(session), memberId: link.memberId, createdAt: now, expiresAt } });
    await tx.auditLog.create({ data: { at: now, actor: link.member.key, action: 'dashboard.sign_in', subject: link.member.key } });
    return ok({ session, expiresAt });
  });
}

/** The member a session cookie signs in, while the session lasts and the member may still use the dashboard. */
export async function sessionMember(deps: AppDeps, session: string | undefined): Promise<DashboardMember | undefined> {
  if (!session) return undefined;
  const row = await deps.prisma.dashboardSession.findUnique({ where: { tokenHash: hashToken(session) }, include: { member: true } });
  if (!row || row.expiresAt <= deps.now() || !row.member.active || !mayUseDashboard(row.member.roles)) return undefined;
  const { member } = row;
  return {
    id: member.id,
    key: member.key,
    name: member.name,
    locale: member.locale === 'en' ? 'en' : 'zh-CN',
    roles: member.roles,
    isAdmin: member.roles.includes('admin'),
  };
}

/** Signs a session out; an unknown one is already out. Expired sessions are removed as well. */
export async function endDashboardSession(deps: AppDeps, session: string | undefined): Promise<void> {
  await deps.prisma.dashboardSession.deleteMany({
    where: { OR: [...(session ? [{ tokenHash: hashToken(session) }] : []), { expiresAt: { lte: deps.now() } }] },
  });
}
