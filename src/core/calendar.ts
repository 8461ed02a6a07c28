// The static data file, not the package's functions: those key their tables by the host's local time
// zone and answer for the wrong day when the process runs west of UTC.
import officialCalendar from 'chinese-days/dist/chinese-days.json' with { type: 'json' };

/** A day on the wall calendar, in no time zone: month 1–12, day 1–31. */
export interface CivilDate {
  year: number;
  month: number;
  day: number;
}

/** A civil date and wall-clock time as seen in one time zone. */
export interface ZonedParts {
  date: CivilDate;
  hour: number;
  minute: number;
}

const DAY_MS = 86_400_000;

// Civil-date arithmetic runs on UTC milliseconds, which have no DST and no dependence on the host zone.
const toUtcMs = (date: CivilDate): number => Date.UTC(date.year, date.month - 1, date.day);

function fromUtcMs(ms: number): CivilDate {
  const at = new Date(ms);
  return { year: at.getUTCFullYear(), month: at.getUTCMonth() + 1, day: at.getUTCDate() };
}

/** "2026-10-08" */
export function formatCivilDate(date: CivilDate): string {
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${date.year}-${pad(date.month)}-${pad(date.day)}`;
}

/** An instant as a clock in `timeZone` reads it: `2026-11-27 18:38`. */
export function formatLocalTime(instant: Date, timeZone: string): string {
  const parts = zonedParts(instant, timeZone);
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${formatCivilDate(parts.date)} ${pad(parts.hour)}:${pad(parts.minute)}`;
}

/**
 * An instant as ISO 8601 with the offset of `timeZone` at that moment, to the second: `2026-11-27T18:38:05+08:00`
 * (a file read by machines and by people: the clock the organisation reads, and unambiguous).
 */
export function formatZonedTimestamp(instant: Date, timeZone: string): string {
  const ms = instant.getTime();
  const offset = offsetAt(ms, timeZone);
  const wall = new Date(ms - (((ms % 1000) + 1000) % 1000) + offset).toISOString().slice(0, 19);
  const minutes = Math.abs(offset) / 60_000;
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${wall}${offset < 0 ? '-' : '+'}${pad(Math.floor(minutes / 60))}:${pad(minutes % 60)}`;
}

/** Negative when a is earlier than b, zero on the same day, positive when later. */
export function compareCivilDates(a: CivilDate, b: CivilDate): number {
  return toUtcMs(a) - toUtcMs(b);
}

/** True when both name the same day. */
export function sameCivilDate(a: CivilDate, b: CivilDate): boolean {
  return compareCivilDates(a, b) === 0;
}

/** The date n calendar days later (n may be negative); overflow rolls into the next month or year. */
export function addDays(date: CivilDate, n: number): CivilDate {
  return fromUtcMs(toUtcMs(date) + n * DAY_MS);
}

/** 0 = Sunday … 6 = Saturday. */
export function dayOfWeek(date: CivilDate): number {
  return new Date(toUtcMs(date)).getUTCDay();
}

/** 28–31. */
export function daysInMonth(year: number, month: number): number {
  return new Date(Date.UTC(year, month, 0)).getUTCDate();
}

const formatters = new Map<string, Intl.DateTimeFormat>();

function formatterFor(timeZone: string): Intl.DateTimeFormat {
  let formatter = formatters.get(timeZone);
  if (!formatter) {
    formatter = new Intl.DateTimeFormat('en-US', {
      timeZone,
      calendar: 'gregory',
      numberingSystem: 'latn',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
      hourCycle: 'h23',
    });
    formatters.set(timeZone, formatter);
  }
  return formatter;
}

/** Wall-clock fields of an instant in a zone, seconds included (offsets before 1900 had seconds). */
function wallFields(ms: number, timeZone: string): Record<string, number> {
  // Within an hour whose start and end the zone shows at the same offset, the wall clock is plain
  // arithmetic; formatting (most of a chat turn's calendar work) is then done twice an hour, not per turn.
  const offset = steadyOffset(Math.floor(ms / HOUR_MS) * HOUR_MS, timeZone);
  if (offset === undefined) return formattedFields(ms, timeZone);
  const wall = new Date(ms + offset);
  return {
    year: wall.getUTCFullYear(),
    month: wall.getUTCMonth() + 1,
    day: wall.getUTCDate(),
    hour: wall.getUTCHours(),
    minute: wall.getUTCMinutes(),
    second: wall.getUTCSeconds(),
  };
}

function formattedFields(ms: number, timeZone: string): Record<string, number> {
  const fields: Record<string, number> = {};
  for (const part of formatterFor(timeZone).formatToParts(new Date(ms))) {
    if (part.type !== 'literal') fields[part.type] = Number(part.value);
  }
  return fields;
}

const HOUR_MS = 3_600_000;
const OFFSET_CACHE_SIZE = 4096;
const steadyOffsets = new Map<string, number | null>();

/** The zone's offset through the hour starting at `hourStart`, or undefined if it changes within it. */
function steadyOffset(hourStart: number, timeZone: string): number | undefined {
  const key = `${timeZone} ${hourStart}`;
  let offset = steadyOffsets.get(key);
  if (offset === undefined) {
    const atStart = formattedOffset(hourStart, timeZone);
    offset = atStart === formattedOffset(hourStart + HOUR_MS, timeZone) ? atStart : null;
    if (steadyOffsets.size >= OFFSET_CACHE_SIZE) steadyOffsets.clear();
    steadyOffsets.set(key, offset);
  }
  return offset ?? undefined;
}

/** The offset at an instant on a whole second, as the zone's formatter shows it. */
function formattedOffset(ms: number, timeZone: string): number {
  const f = formattedFields(ms, timeZone);
  return Date.UTC(f.year ?? 0, (f.month ?? 1) - 1, f.day ?? 1, f.hour ?? 0, f.minute ?? 0, f.second ?? 0) - ms;
}

/** The zone's offset from UTC at an instant, in milliseconds (Asia/Shanghai: +8 h). */
function offsetAt(ms: number, timeZone: string): number {
  const f = wallFields(ms, timeZone);
  const wall = Date.UTC(f.year ?? 0, (f.month ?? 1) - 1, f.day ?? 1, f.hour ?? 0, f.minute ?? 0, f.second ?? 0);
  return wall - (ms - (((ms % 1000) + 1000) % 1000));
}

/** The date and hour:minute an instant shows on a wall clock in `timeZone` (an IANA name). */
export function zonedParts(instant: Date, timeZone: string): ZonedParts {
  const f = wallFields(instant.getTime(), timeZone);
  return {
    date: { year: f.year ?? 0, month: f.month ?? 1, day: f.day ?? 1 },
    hour: f.hour ?? 0,
    minute: f.minute ?? 0,
  };
}

/** The civil date an instant falls on in `timeZone`. */
export function civilDateInZone(instant: Date, timeZone: string): CivilDate {
  return zonedParts(instant, timeZone).date;
}

/**
 * The instant a wall clock in `timeZone` shows `date` hour:minute. Like Temporal's "compatible":
 * an hour repeated when DST ends gives the earlier instant; one skipped when it starts is moved later.
 */
export function instantAt(date: CivilDate, hour: number, minute: number, timeZone: string): Date {
  const wall = Date.UTC(date.year, date.month - 1, date.day, hour, minute);
  // A day either side brackets any single transition, so these are the only offsets that can apply.
  const offsetBefore = offsetAt(wall - DAY_MS, timeZone);
  const offsetAfter = offsetAt(wall + DAY_MS, timeZone);
  const matching = [wall - offsetBefore, wall - offsetAfter].filter(
    (ms) => offsetAt(ms, timeZone) === wall - ms,
  );
  if (matching.length > 0) return new Date(Math.min(...matching));
  return new Date(wall - offsetBefore);
}

const officialWorkdays = new Set(Object.keys(officialCalendar.workdays));
const officialHolidays = new Set(Object.keys(officialCalendar.holidays));

// A year counts as covered once its notice is in: every notice lists both 春节 and 国庆节 of its year.
// A stray entry a neighbouring year's notice puts in this one (31 Dec worked for 元旦) does not count.
const officialYears = (() => {
  const springFestival = new Set<string>();
  const nationalDay = new Set<string>();
  for (const [day, name] of Object.entries(officialCalendar.holidays as Record<string, string>)) {
    if (name.includes('春节')) springFestival.add(day.slice(0, 4));
    if (name.includes('国庆')) nationalDay.add(day.slice(0, 4));
  }
  return new Set([...springFestival].filter((year) => nationalDay.has(year)).map(Number));
})();

/**
 * Whether the State Council's holiday notice for `year` is known; without it the days off are the weekends
 * and the holidays of a fixed date (元旦, 劳动节, 国庆节).
 */
export function hasOfficialCalendar(year: number): boolean {
  return officialYears.has(year);
}

/*
 * The public holidays of a fixed date, by law (全国年节及纪念日放假办法, as revised in 2024): 元旦 1 January,
 * 劳动节 1–2 May, 国庆节 1–3 October. In a year whose notice is not known yet they are still days off; the
 * holidays of the lunar calendar (春节, 清明, 端午, 中秋) and the make-up weekends only the notice gives.
 */
const FIXED_HOLIDAYS = new Set(['01-01', '05-01', '05-02', '10-01', '10-02', '10-03']);

/** A working day in China: Mon–Fri unless a public holiday, plus make-up working weekends (调休). */
export function isWorkingDay(date: CivilDate): boolean {
  const weekday = dayOfWeek(date);
  const mondayToFriday = weekday >= 1 && weekday <= 5;
  if (!hasOfficialCalendar(date.year)) return mondayToFriday && !FIXED_HOLIDAYS.has(formatCivilDate(date).slice(5));
  const key = formatCivilDate(date);
  if (officialWorkdays.has(key)) return true;
  if (officialHolidays.has(key)) return false;
  return mondayToFriday;
}

/**
 * The n-th working day after `date` (n > 0) or before it (n < 0); `date` itself is never counted,
 * so addWorkingDays(deadline, -3) is three working days before the deadline. n = 0 returns `date`.
 */
export function addWorkingDays(date: CivilDate, n: number): CivilDate {
  const step = n < 0 ? -1 : 1;
  let remaining = Math.abs(Math.trunc(n));
  let current = date;
  while (remaining > 0) {
    current = addDays(current, step);
    if (isWorkingDay(current)) remaining -= 1;
  }
  return current;
}

/** The first working day strictly after `date`. */
export function nextWorkingDay(date: CivilDate): CivilDate {
  return addWorkingDays(date, 1);
}

/**
 * Working days from a to b: those after a up to and including b, negated when b is before a.
 * The inverse of addWorkingDays: workingDaysBetween(a, addWorkingDays(a, n)) === n.
 */
export function workingDaysBetween(a: CivilDate, b: CivilDate): number {
  const order = compareCivilDates(a, b);
  if (order > 0) return -workingDaysBetween(b, a);
  let count = 0;
  for (let day = addDays(a, 1); compareCivilDates(day, b) <= 0; day = addDays(day, 1)) {
    if (isWorkingDay(day)) count += 1;
  }
  return count;
}

/** The last working day of a month: the default reporting deadline (docs/product.md, Periods). */
export function lastWorkingDayOfMonth(year: number, month: number): CivilDate {
  let day: CivilDate = { year, month, day: daysInMonth(year, month) };
  // Every month has working days, so this never leaves the month.
  while (!isWorkingDay(day)) day = addDays(day, -1);
  return day;
}
