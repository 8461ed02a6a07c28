import { describe, expect, it } from 'vitest';
import {
  formatZonedTimestamp,
  type CivilDate,
  addDays,
  addWorkingDays,
  civilDateInZone,
  compareCivilDates,
  dayOfWeek,
  formatCivilDate,
  hasOfficialCalendar,
  instantAt,
  isWorkingDay,
  lastWorkingDayOfMonth,
  nextWorkingDay,
  sameCivilDate,
  workingDaysBetween,
  zonedParts,
} from '../../src/core/calendar.js';

const day = (year: number, month: number, d: number): CivilDate => ({ year, month, day: d });

function workingDaysIn(from: CivilDate, to: CivilDate): string[] {
  const result: string[] = [];
  for (let d = from; compareCivilDates(d, to) <= 0; d = addDays(d, 1)) {
    if (isWorkingDay(d)) result.push(formatCivilDate(d));
  }
  return result;
}

describe('civil dates', () => {
  it('formats as YYYY-MM-DD with zero padding', () => {
    expect(formatCivilDate(day(2026, 10, 8))).toBe('2026-10-08');
  });

  it('orders dates across month and year ends', () => {
    expect(compareCivilDates(day(2025, 12, 31), day(2026, 1, 1))).toBeLessThan(0);
    expect(compareCivilDates(day(2026, 3, 1), day(2026, 2, 28))).toBeGreaterThan(0);
    expect(sameCivilDate(day(2026, 2, 28), addDays(day(2026, 3, 1), -1))).toBe(true);
  });

  it('adds days across a leap February', () => {
    expect(addDays(day(2024, 2, 28), 1)).toEqual(day(2024, 2, 29));
    expect(addDays(day(2025, 2, 28), 1)).toEqual(day(2025, 3, 1));
  });

  it('knows the day of the week', () => {
    expect(dayOfWeek(day(2025, 10, 1))).toBe(3);
    expect(dayOfWeek(day(2025, 9, 28))).toBe(0);
  });
});

describe('time zones', () => {
  it('puts 00:30 in Shanghai on the next day although UTC is still on the previous one', () => {
    const instant = new Date('2025-09-30T16:30:00Z');
    expect(civilDateInZone(instant, 'Asia/Shanghai')).toEqual(day(2025, 10, 1));
    expect(zonedParts(instant, 'Asia/Shanghai')).toEqual({ date: day(2025, 10, 1), hour: 0, minute: 30 });
    expect(civilDateInZone(instant, 'UTC')).toEqual(day(2025, 9, 30));
  });

  it('writes an instant as ISO 8601 with the zone\'s offset at that moment, seconds kept', () => {
    expect(formatZonedTimestamp(new Date('2025-09-30T16:30:05.900Z'), 'Asia/Shanghai')).toBe('2025-10-01T00:30:05+08:00');
    expect(formatZonedTimestamp(new Date('2026-03-07T14:00:00Z'), 'America/New_York')).toBe('2026-03-07T09:00:00-05:00');
    expect(formatZonedTimestamp(new Date('2026-03-09T13:00:00Z'), 'America/New_York')).toBe('2026-03-09T09:00:00-04:00');
    expect(formatZonedTimestamp(new Date('2026-01-01T00:00:00Z'), 'Asia/Kolkata')).toBe('2026-01-01T05:30:00+05:30');
    expect(formatZonedTimestamp(new Date('2026-01-01T00:00:00Z'), 'UTC')).toBe('2026-01-01T00:00:00+00:00');
  });

  it('reads midnight as hour 0, not 24', () => {
    expect(zonedParts(new Date('2026-01-31T16:00:00Z'), 'Asia/Shanghai').hour).toBe(0);
  });

  it('finds the instant of 09:00 in Shanghai', () => {
    expect(instantAt(day(2025, 10, 9), 9, 0, 'Asia/Shanghai').toISOString()).toBe('2025-10-09T01:00:00.000Z');
  });

  it('uses summer and winter offsets on either side of a DST change', () => {
    expect(instantAt(day(2026, 3, 7), 9, 0, 'America/New_York').toISOString()).toBe('2026-03-07T14:00:00.000Z');
    expect(instantAt(day(2026, 3, 9), 9, 0, 'America/New_York').toISOString()).toBe('2026-03-09T13:00:00.000Z');
    expect(instantAt(day(2026, 10, 26), 8, 0, 'Europe/Berlin').toISOString()).toBe('2026-10-26T07:00:00.000Z');
  });

  it('moves a wall time skipped by DST forward by the gap', () => {
    expect(instantAt(day(2026, 3, 8), 2, 30, 'America/New_York').toISOString()).toBe('2026-03-08T07:30:00.000Z');
    expect(instantAt(day(2026, 3, 29), 2, 30, 'Europe/Berlin').toISOString()).toBe('2026-03-29T01:30:00.000Z');
  });

  it('takes the earlier of two instants when DST ends and an hour repeats', () => {
    expect(instantAt(day(2026, 11, 1), 1, 30, 'America/New_York').toISOString()).toBe('2026-11-01T05:30:00.000Z');
  });

  it('reads the wall clock as the zone formatter does, minute by minute across offset changes', () => {
    // Hours with a change in them, the minutes either side, odd offsets (+5:30, +5:45, +8:05:43 before 1901).
    const cases: [string, string][] = [
      ['America/New_York', '2026-03-08T05:00:00Z'],
      ['America/New_York', '2026-11-01T04:00:00Z'],
      ['Europe/Berlin', '2026-03-29T00:00:00Z'],
      ['Australia/Lord_Howe', '2026-04-04T14:00:00Z'],
      ['Asia/Kathmandu', '2026-01-01T00:00:00Z'],
      ['Asia/Shanghai', '1900-12-31T15:00:00Z'],
      ['Asia/Shanghai', '1986-05-03T16:00:00Z'],
    ];
    const format = (zone: string) =>
      new Intl.DateTimeFormat('en-US', { timeZone: zone, year: 'numeric', month: 'numeric', day: 'numeric', hour: 'numeric', minute: 'numeric', hourCycle: 'h23' });
    for (const [zone, from] of cases) {
      const formatter = format(zone);
      for (let minute = -90; minute <= 210; minute += 7) {
        const instant = new Date(Date.parse(from) + minute * 60_000 + 13_500);
        const parts = Object.fromEntries(formatter.formatToParts(instant).map((part) => [part.type, part.value]));
        const expected = { date: day(Number(parts.year), Number(parts.month), Number(parts.day)), hour: Number(parts.hour), minute: Number(parts.minute) };
        expect(zonedParts(instant, zone), `${zone} ${instant.toISOString()}`).toEqual(expected);
      }
    }
  });

  it('round-trips a wall time through an instant', () => {
    for (const zone of ['Asia/Shanghai', 'America/Los_Angeles', 'Europe/London', 'Asia/Kolkata']) {
      const instant = instantAt(day(2026, 7, 15), 20, 45, zone);
      expect(zonedParts(instant, zone)).toEqual({ date: day(2026, 7, 15), hour: 20, minute: 45 });
    }
  });
});

// Expectations below come from the State Council General Office's holiday notices
// (国务院办公厅关于XXXX年部分节假日安排的通知), not from the library under test.
describe('working days on the official calendar', () => {
  // 2025 notice, 国办发明电〔2024〕12号: 国庆节、中秋节 10月1日至8日放假调休，共8天；
  // 9月28日（周日）、10月11日（周六）上班.
  it('gives National Day week 2025 off and works the make-up Sunday and Saturday', () => {
    expect(workingDaysIn(day(2025, 9, 27), day(2025, 10, 12))).toEqual([
      '2025-09-28',
      '2025-09-29',
      '2025-09-30',
      '2025-10-09',
      '2025-10-10',
      '2025-10-11',
    ]);
  });

  // 2026 notice (gov.cn/zhengce/zhengceku/202511/content_7047091.htm): 国庆节 10月1日（周四）至7日（周三）
  // 放假调休，共7天；9月20日（周日）、10月10日（周六）上班.
  it('gives National Day week 2026 off and works 20 September and 10 October', () => {
    expect(isWorkingDay(day(2026, 9, 20))).toBe(true);
    expect(workingDaysIn(day(2026, 9, 30), day(2026, 10, 11))).toEqual([
      '2026-09-30',
      '2026-10-08',
      '2026-10-09',
      '2026-10-10',
    ]);
  });

  // 2025 notice: 春节 1月28日至2月4日放假调休，共8天；1月26日（周日）、2月8日（周六）上班.
  it('gives Spring Festival 2025 off and works 26 January and 8 February', () => {
    expect(workingDaysIn(day(2025, 1, 25), day(2025, 2, 9))).toEqual([
      '2025-01-26',
      '2025-01-27',
      '2025-02-05',
      '2025-02-06',
      '2025-02-07',
      '2025-02-08',
    ]);
  });

  // 2026 notice: 春节 2月15日（周日）至23日（周一）放假调休，共9天；2月14日（周六）、2月28日（周六）上班.
  it('gives Spring Festival 2026 off and works 14 and 28 February', () => {
    expect(workingDaysIn(day(2026, 2, 13), day(2026, 2, 24))).toEqual(['2026-02-13', '2026-02-14', '2026-02-24']);
    expect(isWorkingDay(day(2026, 2, 28))).toBe(true);
  });

  // 国办发明电〔2020〕1号 extended the 2020 Spring Festival to 2 February, cancelling the 1 February make-up day.
  it('follows the extended Spring Festival of 2020, the seed year', () => {
    expect(isWorkingDay(day(2020, 1, 19))).toBe(true);
    expect(isWorkingDay(day(2020, 1, 31))).toBe(false);
    expect(isWorkingDay(day(2020, 2, 1))).toBe(false);
    expect(nextWorkingDay(day(2020, 1, 23))).toEqual(day(2020, 2, 3));
  });
});

describe('deadlines', () => {
  it('ends September 2025 on Tuesday the 30th, a working day before the holiday', () => {
    expect(lastWorkingDayOfMonth(2025, 9)).toEqual(day(2025, 9, 30));
  });

  it('steps back from a month ending on a weekend to the Friday', () => {
    expect(lastWorkingDayOfMonth(2025, 8)).toEqual(day(2025, 8, 29));
  });

  it('ends February 2026 on Saturday the 28th because it is a make-up working day', () => {
    expect(lastWorkingDayOfMonth(2026, 2)).toEqual(day(2026, 2, 28));
  });

  it('ends January 2020 on the 23rd because the extended Spring Festival covers the rest', () => {
    expect(lastWorkingDayOfMonth(2020, 1)).toEqual(day(2020, 1, 23));
  });

  it('counts the make-up Sunday among the three working days before the September 2025 deadline', () => {
    expect(addWorkingDays(day(2025, 9, 30), -3)).toEqual(day(2025, 9, 26));
  });

  it('skips the whole National Day holiday when counting back from 9 October 2025', () => {
    expect(addWorkingDays(day(2025, 10, 9), -3)).toEqual(day(2025, 9, 28));
  });

  it('returns the same date when adding zero working days, even on a holiday', () => {
    expect(addWorkingDays(day(2025, 10, 3), 0)).toEqual(day(2025, 10, 3));
  });

  it('finds the next working day strictly after a date', () => {
    expect(nextWorkingDay(day(2025, 9, 30))).toEqual(day(2025, 10, 9));
    expect(nextWorkingDay(day(2025, 10, 10))).toEqual(day(2025, 10, 11));
    expect(nextWorkingDay(day(2025, 10, 11))).toEqual(day(2025, 10, 13));
  });

  it('counts working days after the first date up to and including the second', () => {
    expect(workingDaysBetween(day(2025, 9, 30), day(2025, 10, 9))).toBe(1);
    expect(workingDaysBetween(day(2025, 9, 26), day(2025, 9, 30))).toBe(3);
    expect(workingDaysBetween(day(2025, 9, 30), day(2025, 9, 26))).toBe(-3);
    expect(workingDaysBetween(day(2025, 10, 3), day(2025, 10, 3))).toBe(0);
  });

  it('undoes addWorkingDays with workingDaysBetween across holidays', () => {
    const start = day(2025, 9, 25);
    for (const n of [-10, -3, -1, 0, 1, 4, 12, 30]) {
      expect(workingDaysBetween(start, addWorkingDays(start, n))).toBe(n);
    }
  });
});

describe('years without an official calendar', () => {
  it('knows which years have a published notice', () => {
    expect(hasOfficialCalendar(2004)).toBe(true);
    expect(hasOfficialCalendar(2020)).toBe(true);
    expect(hasOfficialCalendar(2026)).toBe(true);
    expect(hasOfficialCalendar(2003)).toBe(false);
    expect(hasOfficialCalendar(2099)).toBe(false);
  });

  it('falls back to Monday to Friday less the holidays of a fixed date: 元旦, 劳动节 and 国庆节 are days off before any notice', () => {
    // 2099-10-01 is a Thursday, 10-03 a Saturday, 10-05 a Monday.
    expect([1, 2, 3, 5].map((d) => isWorkingDay(day(2099, 10, d)))).toEqual([false, false, false, true]);
    expect([1, 2, 3].map((d) => isWorkingDay(day(2099, 5, d)))).toEqual([false, false, false]);
    expect(lastWorkingDayOfMonth(2099, 10)).toEqual(day(2099, 10, 30));
    // 1 January 2099 is a Thursday: the first working day after 31 December 2098 is Friday the 2nd.
    expect(isWorkingDay(day(2099, 1, 1))).toBe(false);
    expect(addWorkingDays(day(2098, 12, 31), 1)).toEqual(day(2099, 1, 2));
  });
});
