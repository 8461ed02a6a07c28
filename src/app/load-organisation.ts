import { createHash } from 'node:crypto';
import type { OrgConfig } from '../core/org/parse.js';
import type { AppDeps, Tx } from './deps.js';

export interface LoadResult {
  status: 'loaded' | 'unchanged';
  sections: number;
  members: number;
  indicators: number;
  targets: number;
  /** Keys that the file no longer lists: kept inactive, with their history. */
  deactivated: { sections: string[]; members: string[]; indicators: string[] };
}

/** SHA-256 of the file text, to recognise a file loaded before. */
export function orgSourceHash(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}

/**
 * Makes the database's organisation that of `config`, in one transaction: what the file lists is created
 * or updated, what it no longer lists is deactivated (never deleted, so every submission and its history
 * stay), identities from the file are bound, and targets are replaced. Loading the same file twice
 * changes nothing.
 */
export async function loadOrganisation(
  deps: AppDeps,
  config: OrgConfig,
  source: { hash: string; actor: string },
): Promise<LoadResult> {
  const counts = {
    sections: config.sections.length,
    members: config.members.length,
    indicators: config.indicators.length,
    targets: config.targets.length,
  };
  const current = await deps.prisma.organisation.findUnique({ where: { id: 1 } });
  if (current?.sourceHash === source.hash) {
    return { status: 'unchanged', ...counts, deactivated: { sections: [], members: [], indicators: [] } };
  }
  return deps.prisma.$transaction(
    async (tx) => {
      const organisation = {
        name: config.organisation.name,
        timezone: config.organisation.timezone,
        schedule: config.schedule as object,
        checks: config.checks as object[],
        sourceHash: source.hash,
        loadedAt: deps.now(),
      };
      await tx.organisation.upsert({ where: { id: 1 }, create: { id: 1, ...organisation }, update: organisation });
      const sectionIds = await upsertSections(tx, config);
      const memberIds = await upsertMembers(tx, config, sectionIds);
      await bindFileIdentities(tx, config, memberIds);
      const indicatorIds = await upsertIndicators(tx, config, sectionIds);
      await replaceTargets(tx, config, indicatorIds);
      const deactivated = {
        sections: await deactivateMissing(tx, 'section', [...sectionIds.keys()]),
        members: await deactivateMissing(tx, 'member', [...memberIds.keys()]),
        indicators: await deactivateMissing(tx, 'indicator', [...indicatorIds.keys()]),
      };
      await tx.auditLog.create({
        data: {
          at: deps.now(),
          actor: source.actor,
          action: 'org.load',
          subject: config.organisation.name,
          details: { hash: source.hash, ...counts, deactivated },
        },
      });
      return { status: 'loaded' as const, ...counts, deactivated };
    },
    { timeout: 60_000 },
  );
}

async function upsertSections(tx: Tx, config: OrgConfig): Promise<Map<string, number>> {
  const ids = new Map<string, number>();
  for (const section of config.sections) {
    const data = { name: section.name, schedule: section.schedule as object, active: true };
    const row = await tx.section.upsert({ where: { key: section.key }, create: { key: section.key, ...data }, update: data });
    ids.set(section.key, row.id);
  }
  return ids;
}

async function upsertMembers(tx: Tx, config: OrgConfig, sectionIds: Map<string, number>): Promise<Map<string, number>> {
  const ids = new Map<string, number>();
  for (const member of config.members) {
    const data = {
      name: member.name,
      roles: member.roles,
      sectionId: member.sectionKey ? (sectionIds.get(member.sectionKey) ?? null) : null,
      locale: member.locale,
      active: true,
    };
    const row = await tx.member.upsert({ where: { key: member.key }, create: { key: member.key, ...data }, update: data });
    ids.set(member.key, row.id);
  }
  return ids;
}

/*
 * The file is the administrator's word: an identity it lists is bound to that member, even if an invite
 * had bound it elsewhere. Identities the file once listed and no longer does are unbound; those bound by
 * invite are left alone.
 */
async function bindFileIdentities(tx: Tx, config: OrgConfig, memberIds: Map<string, number>): Promise<void> {
  const listed = new Set<string>();
  for (const member of config.members) {
    const memberId = memberIds.get(member.key);
    if (memberId === undefined) continue;
    for (const identity of member.identities) {
      listed.add(identity);
      await tx.chatIdentity.upsert({
        where: { identity },
        create: { identity, memberId, source: 'org_file' },
        update: { memberId, source: 'org_file' },
      });
    }
  }
  await tx.chatIdentity.deleteMany({ where: { source: 'org_file', identity: { notIn: [...listed] } } });
}

async function upsertIndicators(tx: Tx, config: OrgConfig, sectionIds: Map<string, number>): Promise<Map<string, number>> {
  const ids = new Map<string, number>();
  for (const [position, indicator] of config.indicators.entries()) {
    const sectionId = sectionIds.get(indicator.sectionKey);
    if (sectionId === undefined) continue; // the parser's cross-checks make this unreachable
    const data = {
      name: indicator.name,
      nameEn: indicator.nameEn,
      sectionId,
      kind: indicator.kind,
      unit: indicator.unit,
      decimals: indicator.decimals,
      aliases: indicator.aliases,
      min: indicator.min?.toFixed() ?? null,
      max: indicator.max?.toFixed() ?? null,
      unitEn: indicator.unitEn ?? null,
      position,
      active: true,
    };
    const row = await tx.indicator.upsert({ where: { key: indicator.key }, create: { key: indicator.key, ...data }, update: data });
    ids.set(indicator.key, row.id);
  }
  return ids;
}

async function replaceTargets(tx: Tx, config: OrgConfig, indicatorIds: Map<string, number>): Promise<void> {
  await tx.target.deleteMany({});
  const rows = config.targets.flatMap((target) => {
    const indicatorId = indicatorIds.get(target.indicatorKey);
    return indicatorId === undefined
      ? []
      : [{ indicatorId, year: target.year, value: target.value.toFixed(), setBy: target.setBy ?? null }];
  });
  if (rows.length > 0) await tx.target.createMany({ data: rows });
}

async function deactivateMissing(tx: Tx, table: 'section' | 'member' | 'indicator', keep: string[]): Promise<string[]> {
  const where = { active: true, key: { notIn: keep } };
  const gone = await (tx[table] as Tx['section']).findMany({ where, select: { key: true } });
  if (gone.length > 0) await (tx[table] as Tx['section']).updateMany({ where, data: { active: false } });
  return gone.map((row) => row.key);
}
