import { readFileSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { DEMO_ORG_FILE } from '../../src/app/demo-data.js';
import { zonedParts } from '../../src/core/calendar.js';
import { translator } from '../../src/core/i18n.js';
import { parseOrgFile } from '../../src/core/org/parse.js';
import { currentPeriod } from '../../src/core/schedule.js';

function demoOrg() {
  const parsed = parseOrgFile(readFileSync(DEMO_ORG_FILE, 'utf8'));
  if (!parsed.ok) throw new Error('the demo organisation file does not parse');
  return parsed.value;
}

/**
 * The period a demo section is asked to report now, worked out as the bot does (the real clock, the demo
 * organisation's schedule), with the words the dialogue uses for it: `2026年11月`, `1–11月累计`.
 */
export function currentDemoPeriod(sectionKey = 'monitoring', now = new Date()) {
  const org = demoOrg();
  const schedule = org.sections.find((section) => section.key === sectionKey)?.schedule ?? org.schedule;
  const { year, month } = currentPeriod(now, org.organisation.timezone, schedule);
  const t = translator('zh-CN');
  return {
    year,
    month,
    label: t('dialogue.period', { year, month }),
    /** The span of a cumulative indicator's question. */
    span: month === 1 ? t('dialogue.span_cumulative_first', { month }) : t('dialogue.span_cumulative', { month }),
  };
}

/**
 * Writes the demo organisation file into `dir` with its quiet hours moved half a day away from now, so
 * that a bot on the real clock behaves the same whatever the hour the test runs at: due reminders go out
 * at once instead of waiting for the morning. Everything else is the demo's.
 */
export async function writeDemoOrgAwayFromQuietHours(dir: string, now = new Date()): Promise<string> {
  const { hour } = zonedParts(now, demoOrg().organisation.timezone);
  const start = String((hour + 12) % 24).padStart(2, '0');
  const text = readFileSync(DEMO_ORG_FILE, 'utf8').replace(/quiet_hours: "[^"]*"/, `quiet_hours: "${start}:00-${start}:30"`);
  if (!text.includes(`quiet_hours: "${start}:00`)) throw new Error('the demo organisation file has no quiet_hours line');
  const file = path.join(dir, 'demo-org.yaml');
  await writeFile(file, text);
  return file;
}
