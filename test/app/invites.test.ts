import { createHash } from 'node:crypto';
import { expect, it } from 'vitest';
import { bindTerminal, createInvite, memberNotFoundText, redeemInvite, unbindMember } from '../../src/app/invites.js';
import { translator } from '../../src/core/i18n.js';
import { newInvite } from '../helpers/invites.js';
import { describeEachDatabase, withDemoOrganisation } from '../helpers/databases.js';

const NOW = new Date('2020-11-25T02:00:00Z');
const later = (minutes: number) => new Date(NOW.getTime() + minutes * 60_000);
const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');

// No 0/O, 1/I/L: read off a screen, typed on a phone.
const UNAMBIGUOUS_CODE = /^[23456789ABCDEFGHJKMNPQRSTUVWXYZ]{8}$/;

describeEachDatabase('invites', (ctx) => {
  it('makes 8-character codes of an unambiguous alphabet, valid 72 hours, different each time', async () => {
    const deps = ctx.deps(NOW);
    await withDemoOrganisation(deps);
    const invites = await Promise.all(Array.from({ length: 12 }, () => newInvite(deps, { member: 'wang', actor: 'cli' })));
    for (const invite of invites) expect(invite.code).toMatch(UNAMBIGUOUS_CODE);
    expect(new Set(invites.map((invite) => invite.code)).size).toBe(12);
    expect(invites[0]).toMatchObject({ memberName: '王明', expiresAt: later(72 * 60) });
  });

  it('stores only the hash of a code, never the code, and audit-logs who created it for whom', async () => {
    const deps = ctx.deps(NOW);
    await withDemoOrganisation(deps);
    const { code } = await newInvite(deps, { member: 'li', hours: 24, actor: 'admin' });
    const { prisma } = ctx.db();
    const stored = await prisma.invite.findUniqueOrThrow({ where: { codeHash: sha256(code) }, include: { member: true } });
    expect(stored).toMatchObject({ usedAt: null, usedBy: null, createdAt: NOW, expiresAt: later(24 * 60) });
    expect(stored.member.key).toBe('li');
    const everything = JSON.stringify(await prisma.invite.findMany()) + JSON.stringify((await prisma.auditLog.findMany()).map(({ id: _, ...row }) => row));
    expect(everything).not.toContain(code);
    expect(await prisma.auditLog.findFirst({ where: { action: 'invite.create', subject: 'li' } })).toMatchObject({ actor: 'admin', at: NOW });
  });

  it('binds the chat account that redeems a code to the member, uses the code up, and audit-logs it', async () => {
    const deps = ctx.deps(NOW);
    await withDemoOrganisation(deps);
    const { code } = await newInvite(deps, { member: 'chen', actor: 'cli' });
    const { prisma } = ctx.db();
    const chen = await prisma.member.findUniqueOrThrow({ where: { key: 'chen' } });

    const redeemed = await redeemInvite(ctx.deps(later(30)), { code, identity: 'telegram:7001' });
    expect(redeemed).toEqual({ ok: true, value: { memberId: chen.id, memberKey: 'chen' } });
    expect(await prisma.chatIdentity.findUnique({ where: { identity: 'telegram:7001' } })).toMatchObject({
      memberId: chen.id, source: 'invite', boundAt: later(30),
    });
    expect(await prisma.invite.findUnique({ where: { codeHash: sha256(code) } })).toMatchObject({ usedAt: later(30), usedBy: 'telegram:7001' });
    expect(await prisma.auditLog.findFirst({ where: { action: 'invite.redeem', subject: 'telegram:7001' } })).toMatchObject({ actor: 'chen', at: later(30) });
  });

  it('refuses a second use of a code, from anyone, and leaves the first binding alone', async () => {
    const deps = ctx.deps(NOW);
    await withDemoOrganisation(deps);
    const { code } = await newInvite(deps, { member: 'zhang', actor: 'cli' });
    expect(await redeemInvite(ctx.deps(later(1)), { code, identity: 'wechat:wxid_7002' })).toMatchObject({ ok: true });

    expect(await redeemInvite(ctx.deps(later(2)), { code, identity: 'wechat:wxid_7002' })).toEqual({ ok: false, error: 'used' });
    expect(await redeemInvite(ctx.deps(later(3)), { code, identity: 'telegram:7003' })).toEqual({ ok: false, error: 'used' });
    expect(await ctx.db().prisma.chatIdentity.findUnique({ where: { identity: 'telegram:7003' } })).toBeNull();
    expect(await ctx.db().prisma.invite.findUnique({ where: { codeHash: sha256(code) } })).toMatchObject({ usedBy: 'wechat:wxid_7002' });
  });

  it('accepts a code until it expires and refuses it from then on, binding nothing', async () => {
    const deps = ctx.deps(NOW);
    await withDemoOrganisation(deps);
    const early = await newInvite(deps, { member: 'liu', hours: 1, actor: 'cli' });
    const late = await newInvite(deps, { member: 'liu', hours: 1, actor: 'cli' });
    expect(await redeemInvite(ctx.deps(later(59)), { code: early.code, identity: 'telegram:7004' })).toMatchObject({ ok: true });
    expect(await redeemInvite(ctx.deps(later(60)), { code: late.code, identity: 'telegram:7005' })).toEqual({ ok: false, error: 'expired' });
    expect(await redeemInvite(ctx.deps(later(60 * 24)), { code: late.code, identity: 'telegram:7005' })).toEqual({ ok: false, error: 'expired' });
    expect(await ctx.db().prisma.chatIdentity.findUnique({ where: { identity: 'telegram:7005' } })).toBeNull();
  });

  it('refuses a code it never made', async () => {
    const deps = ctx.deps(NOW);
    await withDemoOrganisation(deps);
    expect(await redeemInvite(deps, { code: 'ZZZZ2222', identity: 'telegram:7006' })).toEqual({ ok: false, error: 'unknown_code' });
    expect(await redeemInvite(deps, { code: '', identity: 'telegram:7006' })).toEqual({ ok: false, error: 'unknown_code' });
    expect(await ctx.db().prisma.chatIdentity.findUnique({ where: { identity: 'telegram:7006' } })).toBeNull();
  });

  it('takes a code typed in lower case with spaces and dashes', async () => {
    const deps = ctx.deps(NOW);
    await withDemoOrganisation(deps);
    const { code } = await newInvite(deps, { member: 'zhao', actor: 'cli' });
    const typed = ` ${code.slice(0, 4).toLowerCase()} - ${code.slice(4)}\n`;
    expect(await redeemInvite(ctx.deps(later(5)), { code: typed, identity: 'telegram:7007' })).toMatchObject({ ok: true, value: { memberKey: 'zhao' } });
  });

  it('refuses to make a code for a member the organisation does not have', async () => {
    const deps = ctx.deps(NOW);
    await withDemoOrganisation(deps);
    expect(await createInvite(deps, { member: 'nobody', actor: 'cli' })).toMatchObject({ ok: false, error: { code: 'unknown_member' } });
    // Someone who left is said to have left, not taken for a typo.
    const { prisma } = ctx.db();
    await prisma.member.update({ where: { key: 'deputy' }, data: { active: false } });
    try {
      const left = await createInvite(deps, { member: '吴建国', actor: 'cli' });
      expect(left).toMatchObject({ ok: false, error: { code: 'inactive_member', inactive: { key: 'deputy', name: '吴建国' } } });
      expect(left.ok ? '' : memberNotFoundText(translator('zh-CN'), '吴建国', left.error)).toMatch(/^吴建国（deputy）已不在组织文件中（已停用）。可选：director（林志强）、admin（郑丽）、/);
    } finally {
      await prisma.member.update({ where: { key: 'deputy' }, data: { active: true } });
    }
  });

  it('makes a code for a member named as people know them, and says which accounts they are bound to already', async () => {
    const deps = ctx.deps(NOW);
    await withDemoOrganisation(deps);
    const first = await newInvite(deps, { member: '周婷', actor: 'cli' });
    expect(first).toMatchObject({ memberKey: 'zhou', bound: [] });
    await redeemInvite(ctx.deps(later(1)), { code: first.code, identity: 'telegram:7101' });
    await bindTerminal(ctx.deps(later(2)), { member: 'zhou', actor: 'cli' });
    // The terminal is the administrator's own chat, not one of the member's accounts.
    expect((await newInvite(ctx.deps(later(3)), { member: 'zhou', actor: 'cli' })).bound).toEqual([
      { identity: 'telegram:7101', source: 'invite', boundAt: later(1) },
    ]);
    // The code made a minute ago is not used yet: said with the next.
    expect(await newInvite(ctx.deps(later(4)), { member: 'zhou', actor: 'cli' })).toMatchObject({ pending: 1 });
  });

  it("unbinds a lost phone's account: the bot no longer knows it, what waited for it is cancelled, the audit log says who did it", async () => {
    const deps = ctx.deps(NOW);
    await withDemoOrganisation(deps);
    const { prisma } = ctx.db();
    for (const [minute, identity] of [[1, 'telegram:7201'], [2, 'wechat:wxid_7202']] as const) {
      const { code } = await newInvite(deps, { member: 'huang', actor: 'cli' });
      await redeemInvite(ctx.deps(later(minute)), { code, identity });
    }
    const huang = await prisma.member.findUniqueOrThrow({ where: { key: 'huang' } });
    await prisma.chatIdentity.create({ data: { identity: 'telegram:7203', memberId: huang.id, source: 'org_file', boundAt: later(3) } });
    await prisma.outboxMessage.create({ data: { channel: 'telegram', chat: 'telegram:7201', memberId: huang.id, kind: 'deadline', text: '请报送' } });

    const one = await unbindMember(ctx.deps(later(10)), { member: 'huang', identity: 'telegram:7201', actor: 'cli' });
    expect(one).toMatchObject({ ok: true, value: { memberKey: 'huang', removed: [{ identity: 'telegram:7201' }], kept: [] } });
    expect(await prisma.chatIdentity.findUnique({ where: { identity: 'telegram:7201' } })).toBeNull();
    expect(await prisma.outboxMessage.findFirstOrThrow({ where: { chat: 'telegram:7201' } })).toMatchObject({ status: 'cancelled' });
    expect(await prisma.auditLog.findFirst({ where: { action: 'identity.unbind' } })).toMatchObject({ actor: 'cli', subject: 'telegram:7201', at: later(10) });

    // Not theirs, or the file's: refused, with what they are bound to.
    expect(await unbindMember(deps, { member: 'huang', identity: 'telegram:7201', actor: 'cli' })).toMatchObject({
      ok: false,
      error: { code: 'not_bound', bound: [{ identity: 'wechat:wxid_7202' }, { identity: 'telegram:7203' }] },
    });
    expect(await unbindMember(deps, { member: 'huang', identity: 'telegram:7203', actor: 'cli' })).toEqual({
      ok: false,
      error: { code: 'in_org_file', memberKey: 'huang', memberName: '黄磊' },
    });

    // Every account at once, but the file's.
    const all = await unbindMember(deps, { member: 'huang', actor: 'cli' });
    expect(all).toMatchObject({ ok: true, value: { removed: [{ identity: 'wechat:wxid_7202' }], kept: [{ identity: 'telegram:7203', source: 'org_file' }] } });
    expect((await prisma.chatIdentity.findMany({ where: { memberId: huang.id } })).map((row) => row.identity)).toEqual(['telegram:7203']);
    // Someone the file no longer lists: what they left behind is unbound too, and a code made for them voided.
    await newInvite(deps, { member: 'huang', actor: 'cli' });
    const { code } = await newInvite(deps, { member: 'huang', actor: 'cli' });
    await redeemInvite(ctx.deps(later(11)), { code, identity: 'telegram:7204' });
    await prisma.member.update({ where: { key: 'huang' }, data: { active: false } });
    try {
      expect(await unbindMember(ctx.deps(later(12)), { member: '黄磊', actor: 'cli' })).toMatchObject({ ok: true, value: { removed: [{ identity: 'telegram:7204' }], voided: 1 } });
    } finally {
      await prisma.member.update({ where: { key: 'huang' }, data: { active: true } });
    }
    expect(await unbindMember(deps, { member: 'nobody', actor: 'cli' })).toMatchObject({ ok: false, error: { code: 'unknown_member' } });
  });

  it('binds the terminal chat to a member with an audit entry, and refuses a member the organisation does not have', async () => {
    const deps = ctx.deps(NOW);
    await withDemoOrganisation(deps);
    const bound = await bindTerminal(deps, { member: 'wang', actor: 'cli' });
    expect(bound).toMatchObject({ ok: true, value: { memberKey: 'wang', locale: 'zh-CN' } });
    const identity = await deps.prisma.chatIdentity.findUniqueOrThrow({ where: { identity: 'terminal:wang' }, include: { member: true } });
    expect([identity.member.key, identity.source]).toEqual(['wang', 'terminal']);
    const audit = await deps.prisma.auditLog.findMany({ where: { action: 'terminal.bind', subject: 'terminal:wang' } });
    expect(audit.map((entry) => [entry.actor, entry.subject])).toEqual([['cli', 'terminal:wang']]);
    const nobody = await bindTerminal(deps, { member: 'nobody', actor: 'cli' });
    expect(nobody).toMatchObject({ ok: false, error: { code: 'unknown_member' } });
    expect(nobody.ok ? [] : nobody.error.choices.map((choice) => choice.key)).toContain('wang');
    expect(await bindTerminal(deps, { member: '王 明', actor: 'cli' })).toMatchObject({ ok: true, value: { memberKey: 'wang' } });
  });
});
