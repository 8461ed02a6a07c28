import { createHash } from 'node:crypto';
import { expect, it } from 'vitest';
import {
  DASHBOARD_LINK_MINUTES,
  DASHBOARD_SESSION_HOURS,
  createDashboardLink,
  dashboardLinkUsable,
  endDashboardSession,
  redeemDashboardLink,
  sessionMember,
} from '../../src/app/dashboard-login.js';
import { runCli } from '../../src/cli/run.js';
import { describeEachDatabase, withDemoOrganisation } from '../helpers/databases.js';

const NOW = new Date('2020-11-25T02:00:00Z');
const later = (minutes: number) => new Date(NOW.getTime() + minutes * 60_000);
const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');

describeEachDatabase('dashboard sign-in', (ctx) => {
  it('makes a link for a director, stores only its hash, and audit-logs it', async () => {
    const deps = ctx.deps(NOW);
    await withDemoOrganisation(deps);
    const made = await createDashboardLink(deps.prisma, { memberKey: 'director', actor: 'cli', now: NOW });
    if (!made.ok) throw new Error(made.error);
    expect(made.value).toMatchObject({ memberKey: 'director', memberName: '林志强', expiresAt: later(DASHBOARD_LINK_MINUTES) });
    const { prisma } = ctx.db();
    expect(await prisma.dashboardLink.findUnique({ where: { tokenHash: sha256(made.value.token) } })).toMatchObject({ usedAt: null });
    const everything = JSON.stringify(await prisma.dashboardLink.findMany()) + JSON.stringify((await prisma.auditLog.findMany()).map(({ id: _, ...row }) => row));
    expect(everything).not.toContain(made.value.token);
    expect(await prisma.auditLog.findFirst({ where: { action: 'dashboard.link', subject: 'director' } })).toMatchObject({ actor: 'cli' });
  });

  it('refuses a link to a section head and to an unknown member; without a key it signs in the first administrator', async () => {
    const deps = ctx.deps(NOW);
    await withDemoOrganisation(deps);
    expect(await createDashboardLink(deps.prisma, { memberKey: 'wang', actor: 'cli', now: NOW })).toEqual({ ok: false, error: 'not_allowed' });
    expect(await createDashboardLink(deps.prisma, { memberKey: 'nobody', actor: 'cli', now: NOW })).toEqual({ ok: false, error: 'unknown_member' });
    const first = await createDashboardLink(deps.prisma, { actor: 'cli', now: NOW });
    expect(first.ok && first.value.memberKey).toBe('admin');
  });

  it('redeems a link once into a session that lasts its hours, then refuses it as used', async () => {
    const deps = ctx.deps(NOW);
    await withDemoOrganisation(deps);
    const made = await createDashboardLink(deps.prisma, { memberKey: 'deputy', actor: 'cli', now: NOW });
    if (!made.ok) throw new Error(made.error);
    const at = ctx.deps(later(5));
    expect(await dashboardLinkUsable(at, made.value.token)).toBe(true);
    const redeemed = await redeemDashboardLink(at, made.value.token);
    if (!redeemed.ok) throw new Error(redeemed.error);
    expect(redeemed.value.expiresAt).toEqual(later(5 + DASHBOARD_SESSION_HOURS * 60));
    expect(await redeemDashboardLink(at, made.value.token)).toEqual({ ok: false, error: 'used' });
    expect(await dashboardLinkUsable(at, made.value.token)).toBe(false);

    expect(await sessionMember(at, redeemed.value.session)).toMatchObject({ key: 'deputy', isAdmin: false, locale: 'zh-CN' });
    expect(await sessionMember(ctx.deps(later(5 + DASHBOARD_SESSION_HOURS * 60)), redeemed.value.session)).toBeUndefined();
    expect(await sessionMember(at, 'not-a-session')).toBeUndefined();
    expect(JSON.stringify(await ctx.db().prisma.dashboardSession.findMany())).not.toContain(redeemed.value.session);
  });

  it('refuses an expired link and an unknown one, and ends a session on sign-out', async () => {
    const deps = ctx.deps(NOW);
    await withDemoOrganisation(deps);
    const made = await createDashboardLink(deps.prisma, { memberKey: 'director', actor: 'cli', now: NOW });
    if (!made.ok) throw new Error(made.error);
    expect(await redeemDashboardLink(ctx.deps(later(DASHBOARD_LINK_MINUTES)), made.value.token)).toEqual({ ok: false, error: 'expired' });
    expect(await redeemDashboardLink(deps, 'made-up')).toEqual({ ok: false, error: 'unknown' });

    const again = await createDashboardLink(deps.prisma, { memberKey: 'director', actor: 'cli', now: NOW });
    if (!again.ok) throw new Error(again.error);
    const redeemed = await redeemDashboardLink(deps, again.value.token);
    if (!redeemed.ok) throw new Error(redeemed.error);
    await endDashboardSession(deps, redeemed.value.session);
    expect(await sessionMember(deps, redeemed.value.session)).toBeUndefined();
  });

  it('forgets expired sessions and links expired over a day ago at the next sign-in', async () => {
    const deps = ctx.deps(NOW);
    await withDemoOrganisation(deps);
    const old = await createDashboardLink(deps.prisma, { memberKey: 'director', actor: 'cli', now: NOW });
    const unused = await createDashboardLink(deps.prisma, { memberKey: 'director', actor: 'cli', now: NOW });
    if (!old.ok || !unused.ok) throw new Error('no link');
    const session = await redeemDashboardLink(deps, old.value.token);
    if (!session.ok) throw new Error(session.error);

    const dayLater = later(DASHBOARD_SESSION_HOURS * 60 + 24 * 60);
    const fresh = await createDashboardLink(deps.prisma, { memberKey: 'director', actor: 'cli', now: dayLater });
    if (!fresh.ok) throw new Error(fresh.error);
    expect((await redeemDashboardLink(ctx.deps(dayLater), fresh.value.token)).ok).toBe(true);
    const { prisma } = ctx.db();
    expect(await prisma.dashboardSession.findUnique({ where: { tokenHash: sha256(session.value.session) } })).toBeNull();
    expect(await prisma.dashboardLink.findUnique({ where: { tokenHash: sha256(unused.value.token) } })).toBeNull();
    expect(await prisma.dashboardLink.findUnique({ where: { tokenHash: sha256(fresh.value.token) } })).not.toBeNull();
  });

  it('prints a link with `cli dashboard-link`, under PUBLIC_URL, and refuses a section head', async () => {
    const deps = ctx.deps(NOW);
    await withDemoOrganisation(deps);
    const lines: string[] = [];
    const io = { stdout: (line: string) => void lines.push(line), stderr: (line: string) => void lines.push(line) };
    const env = { PUBLIC_URL: 'https://baoshu.example.gov.cn/' };
    expect(await runCli(['dashboard-link', '--member', 'deputy'], { env, io, database: deps.prisma, now: deps.now })).toBe(0);
    const url = /https:\/\/baoshu\.example\.gov\.cn\/dashboard\/login\?token=([\w-]+)/.exec(lines.join('\n'));
    expect(lines.join('\n')).toContain('吴建国 的看板登录链接');
    expect(url && (await dashboardLinkUsable(deps, url[1] ?? ''))).toBe(true);

    lines.length = 0;
    expect(await runCli(['dashboard-link', '--member', 'wang'], { env, io, database: deps.prisma, now: deps.now })).toBe(1);
    expect(lines.join('\n')).toContain('王明（wang）不是局领导或管理员，不能登录看板。');
  });
});
