import { Decimal } from '../decimal.js';
import type { OrgConfig } from './parse.js';

/** The organisation as the database held it before a load: what `diffOrganisation` compares the file with. */
export interface OrgBefore {
  /** The organisation's name (组织名称, which heads every document), and its English name. */
  name?: string;
  nameEn?: string | null;
  sections: ReadonlyArray<{ key: string; name: string; nameEn?: string | null; active: boolean }>;
  members: ReadonlyArray<{ key: string; name: string; sectionKey: string | null; active: boolean }>;
  indicators: ReadonlyArray<{ key: string; name: string; nameEn?: string | null; decimals?: number; frequency?: string; sectionKey: string; active: boolean }>;
  /** Each stored target, its value as exact decimal text, and who set it (set_by) where stored. */
  targets: ReadonlyArray<{ indicatorKey: string; year: number; value: string; setBy?: string | null }>;
}

/**
 * A name, a section (by its name) or a target (exact decimal text) as it was and as the file has it;
 * absent: there was none, or there is none now.
 */
export interface OrgChange {
  kind:
    | 'organisation_renamed' | 'organisation_renamed_en' | 'section_renamed' | 'section_renamed_en' | 'member_renamed' | 'indicator_renamed'
    | 'indicator_renamed_en' | 'indicator_decimals' | 'indicator_frequency' | 'member_moved' | 'indicator_moved' | 'target'
    | 'section_rekeyed' | 'member_rekeyed' | 'indicator_rekeyed' | 'target_set_by';
  key: string;
  /** A moved member's or indicator's name, as the file now gives it. */
  name?: string;
  /** The target's year. */
  year?: number;
  from?: string;
  to?: string;
  /** A move between two sections of one name (a key changed, the name kept): their keys, to tell them apart. */
  keys?: { from: string; to: string };
}

/** What a load changes, for the administrator to check at a glance (a target of 2.1 typed for 21 is seen). */
export interface OrgChanges {
  /** Keys the file adds, or lists again after they had been dropped (reactivated). */
  added: { sections: string[]; members: string[]; indicators: string[] };
  changes: OrgChange[];
}

/**
 * What loading `config` over `before` changes: keys added or listed again, names and sections changed, and
 * the targets of the years the file lists (set, changed, or gone from a year it lists; other years are
 * kept, see replaceTargets). Keys the file no longer lists are the load's `deactivated`, not repeated here.
 */
export function diffOrganisation(before: OrgBefore, config: OrgConfig): OrgChanges {
  const changes: OrgChange[] = [];
  const sections = new Map(before.sections.map((section) => [section.key, section]));
  const members = new Map(before.members.map((member) => [member.key, member]));
  const indicators = new Map(before.indicators.map((indicator) => [indicator.key, indicator]));
  const added = { sections: [] as string[], members: [] as string[], indicators: [] as string[] };
  // A move is said by the sections' names, as the file now names them (else as they were named).
  const sectionName = (key: string | null) =>
    key === null ? null : (config.sections.find((section) => section.key === key)?.name ?? sections.get(key)?.name ?? key);
  const moved = (from: string | null, to: string | null) => {
    const [fromName, toName] = [sectionName(from), sectionName(to)];
    const keys = from !== null && to !== null && fromName === toName ? { keys: { from, to } } : {};
    return { ...optional(fromName, toName), ...keys };
  };

  if (before.name !== undefined && before.name !== config.organisation.name) {
    changes.push({ kind: 'organisation_renamed', key: 'organisation', from: before.name, to: config.organisation.name });
  }
  const [oldOrgEn, newOrgEn] = [before.nameEn ?? null, config.organisation.nameEn ?? null];
  if (before.name !== undefined && oldOrgEn !== newOrgEn) changes.push({ kind: 'organisation_renamed_en', key: 'organisation', ...optional(oldOrgEn, newOrgEn) });
  for (const section of config.sections) {
    const old = sections.get(section.key);
    if (!old?.active) added.sections.push(section.key);
    if (old && old.name !== section.name) changes.push({ kind: 'section_renamed', key: section.key, from: old.name, to: section.name });
    // What English readers see it as: set, changed or dropped (they then see the name).
    const [oldEn, newEn] = [old?.nameEn ?? null, section.nameEn ?? null];
    if (old && oldEn !== newEn) changes.push({ kind: 'section_renamed_en', key: section.key, ...optional(oldEn, newEn) });
  }
  for (const member of config.members) {
    const old = members.get(member.key);
    if (!old?.active) added.members.push(member.key);
    if (!old) continue;
    if (old.name !== member.name) changes.push({ kind: 'member_renamed', key: member.key, from: old.name, to: member.name });
    const section = member.sectionKey ?? null;
    if (old.sectionKey !== section) changes.push({ kind: 'member_moved', key: member.key, name: member.name, ...moved(old.sectionKey, section) });
  }
  for (const indicator of config.indicators) {
    const old = indicators.get(indicator.key);
    if (!old?.active) added.indicators.push(indicator.key);
    if (!old) continue;
    if (old.name !== indicator.name) changes.push({ kind: 'indicator_renamed', key: indicator.key, from: old.name, to: indicator.name });
    // Without name_en an indicator's English name is its name: a rename is said once, as the rename.
    const following = old.nameEn === old.name && indicator.nameEn === indicator.name;
    if (old.nameEn !== undefined && old.nameEn !== indicator.nameEn && !following) {
      changes.push({ kind: 'indicator_renamed_en', key: indicator.key, ...optional(old.nameEn, indicator.nameEn) });
    }
    // Every figure of it is shown so from now on (71.0 → 71).
    if (old.decimals !== undefined && old.decimals !== indicator.decimals) {
      changes.push({ kind: 'indicator_decimals', key: indicator.key, name: indicator.name, from: String(old.decimals), to: String(indicator.decimals) });
    }
    // Owed from now on at quarter ends only, or every month again: who is chased changes with it.
    const frequency = indicator.frequency ?? 'monthly';
    if (old.frequency !== undefined && old.frequency !== frequency) {
      changes.push({ kind: 'indicator_frequency', key: indicator.key, name: indicator.name, from: old.frequency, to: frequency });
    }
    if (old.sectionKey !== indicator.sectionKey) {
      changes.push({ kind: 'indicator_moved', key: indicator.key, name: indicator.name, ...moved(old.sectionKey, indicator.sectionKey) });
    }
  }

  changes.unshift(
    ...rekeyed('section_rekeyed', before.sections, config.sections, added.sections),
    ...rekeyed('member_rekeyed', before.members, config.members, added.members),
    ...rekeyed('indicator_rekeyed', before.indicators, config.indicators, added.indicators),
  );

  const years = new Set(config.targets.map((target) => target.year));
  // An indicator the file no longer lists keeps its targets, with its figures (replaceTargets).
  const listed = new Set(config.indicators.map((indicator) => indicator.key));
  const targetKey = (indicatorKey: string, year: number) => `${indicatorKey} ${year}`;
  const stored = new Map(
    before.targets
      .filter((target) => years.has(target.year) && listed.has(target.indicatorKey))
      .map((target) => [targetKey(target.indicatorKey, target.year), { ...target, value: exact(target.value) }]),
  );
  for (const target of config.targets) {
    const key = targetKey(target.indicatorKey, target.year);
    const old = stored.get(key);
    stored.delete(key);
    const value = target.value.toFixed();
    // Who set it (韶关下达) is what the documents say of the target: set, changed or dropped, said too.
    const [oldSetBy, newSetBy] = [old?.setBy ?? null, target.setBy ?? null];
    if (old && oldSetBy !== newSetBy) {
      changes.push({ kind: 'target_set_by', key: target.indicatorKey, year: target.year, ...optional(oldSetBy, newSetBy) });
    }
    if (old?.value === value) continue;
    changes.push({ kind: 'target', key: target.indicatorKey, year: target.year, ...optional(old?.value ?? null, value) });
  }
  // A target of a year the file lists that the file no longer has: that year's targets are replaced as a whole.
  for (const old of stored.values()) changes.push({ kind: 'target', key: old.indicatorKey, year: old.year, from: old.value });
  return { added, changes };
}

/**
 * A key the file dropped while it adds another of the same name: most likely the key edited where the name was
 * meant. A key is what a section, person or indicator is: the new key starts without the old one's figures,
 * bindings or conversation, so the administrator is told before anything is lost from view.
 */
function rekeyed(
  kind: 'section_rekeyed' | 'member_rekeyed' | 'indicator_rekeyed',
  before: ReadonlyArray<{ key: string; name: string; active: boolean }>,
  listed: ReadonlyArray<{ key: string; name: string }>,
  added: readonly string[],
): OrgChange[] {
  const kept = new Set(listed.map((entry) => entry.key));
  const dropped = before.filter((entry) => entry.active && !kept.has(entry.key));
  return listed.flatMap((entry) => {
    if (!added.includes(entry.key)) return [];
    const old = dropped.find((candidate) => candidate.name === entry.name);
    return old ? [{ kind, key: entry.key, name: entry.name, from: old.key, to: entry.key }] : [];
  });
}

function optional(from: string | null, to: string | null): { from?: string; to?: string } {
  return { ...(from === null ? {} : { from }), ...(to === null ? {} : { to }) };
}

/** 21.0000000000 (as the database keeps a target) as 21. */
function exact(text: string): string {
  return new Decimal(text).toFixed();
}
