import { describe, expect, it } from 'vitest';
import { lockConversation } from '../../src/app/chat/conversation.js';
import { readOrgSnapshot } from '../../src/app/org-cache.js';
import { AppError } from '../../src/core/errors.js';
import { persistenceErrorCode, translatePersistenceError } from '../../src/db/persistence-errors.js';
import { describeEachDatabase, withDemoOrganisation } from '../helpers/databases.js';

const NOW = new Date('2026-11-25T02:00:00Z');

describeEachDatabase('rows the database holds', (ctx) => {
  it('finds an active indicator by key, and a section’s active indicators in the file’s order, in the snapshot', async () => {
    const deps = ctx.deps(NOW);
    await withDemoOrganisation(deps);
    const org = await readOrgSnapshot(deps.prisma);
    const section = org.indicators[0]!.sectionKey;
    const own = org.indicators.filter((indicator) => indicator.sectionKey === section);
    expect(own.length).toBeGreaterThan(1);
    expect(org.sectionIndicators(section)).toEqual(own);
    expect(org.indicator(own[1]!.key)).toBe(own[1]);
    expect(org.indicator('no_such_indicator')).toBeUndefined();
    expect(org.sectionIndicators('no_such_section')).toEqual([]);
    expect(org.sectionIndicators(undefined)).toEqual([]);
    await deps.prisma.indicator.update({ where: { key: own[0]!.key }, data: { active: false } });
    const later = await readOrgSnapshot(deps.prisma);
    expect(later.indicator(own[0]!.key)).toBeUndefined();
    expect(later.sectionIndicators(section).map((indicator) => indicator.key)).toEqual(own.slice(1).map((indicator) => indicator.key));
  });

  it('names a section whose stored schedule does not parse, when the organisation is read', async () => {
    const deps = ctx.deps(NOW);
    await withDemoOrganisation(deps);
    await deps.prisma.section.update({ where: { key: 'monitoring' }, data: { schedule: { windowOpensDay: 'twenty' } } });
    const read = readOrgSnapshot(deps.prisma);
    await expect(read).rejects.toBeInstanceOf(AppError);
    await expect(read).rejects.toThrow(/stored schedule of section monitoring does not parse: windowOpensDay/);
  });

  it('names a conversation whose stored state does not parse, and reads a good one with fields it does not know', async () => {
    const deps = ctx.deps(NOW);
    await withDemoOrganisation(deps);
    const member = await deps.prisma.member.findUniqueOrThrow({ where: { key: 'wang' } });
    await deps.prisma.conversation.create({ data: { memberId: member.id, state: { dialogue: { kind: 'reporting', period: 'soon' } } } });
    await expect(deps.prisma.$transaction((tx) => lockConversation(tx, member.id, NOW))).rejects.toThrow(
      new RegExp(`stored conversation of member ${member.id} does not parse: dialogue\\.period`),
    );
    const later = { dialogue: { kind: 'idle', note: 'added by a newer version' } };
    await deps.prisma.conversation.update({ where: { memberId: member.id }, data: { state: later } });
    const { state } = await deps.prisma.$transaction((tx) => lockConversation(tx, member.id, NOW));
    expect(state.dialogue).toEqual(later.dialogue);
  });

  it('translates a unique key taken meanwhile into a write conflict', async () => {
    const prisma = ctx.db().prisma;
    await prisma.processedMessage.create({ data: { messageId: 'twice' } });
    const thrown = await prisma.processedMessage.create({ data: { messageId: 'twice' } }).catch((error: unknown) => error);
    expect(persistenceErrorCode(thrown)).toBe('write_conflict');
    expect(translatePersistenceError(thrown)).toMatchObject({ name: 'AppError', code: 'write_conflict' });
  });
});

describe('persistence errors', () => {
  it('are typed by SQLSTATE, driver kind or Prisma code, however deep the driver nested them', () => {
    expect(persistenceErrorCode({ code: 'P2034' })).toBe('write_conflict');
    expect(persistenceErrorCode({ code: 'P2010', meta: { driverAdapterError: { cause: { originalCode: '40001' } } } })).toBe('write_conflict');
    expect(persistenceErrorCode(new Error('deadlock detected'))).toBe('write_conflict');
    expect(persistenceErrorCode({ cause: { kind: 'DatabaseNotReachable' } })).toBe('database_unavailable');
    expect(persistenceErrorCode(Object.assign(new Error('connect failed'), { code: 'ECONNREFUSED' }))).toBe('database_unavailable');
    expect(persistenceErrorCode({ code: '57P01' })).toBe('database_unavailable');
  });

  it('leave every other error as it was', () => {
    const bug = new TypeError('x is undefined');
    expect(persistenceErrorCode(bug)).toBeUndefined();
    expect(translatePersistenceError(bug)).toBe(bug);
    expect(persistenceErrorCode(new AppError('org_not_loaded', 'none'))).toBeUndefined();
  });
});
