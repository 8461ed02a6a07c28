import { expect, it } from 'vitest';
import type { AppDeps } from '../../src/app/deps.js';
import { type MissingReport, missingReport } from '../../src/app/missing-report.js';
import { recordFigure } from '../../src/app/record-figure.js';
import { dayOfWeek, formatCivilDate, isWorkingDay } from '../../src/core/calendar.js';
import { dec } from '../../src/core/decimal.js';
import type { Period } from '../../src/core/period.js';
import { describeEachDatabase, withDemoOrganisation } from '../helpers/databases.js';

// 10:00 in Asia/Shanghai on Wednesday 25 November 2020: November's window (opens on the 20th) is open.
const NOV_25 = new Date('2020-11-25T02:00:00Z');
// 10:00 in Asia/Shanghai on 5 November 2020: November's window is not open yet, October is the one due.
const NOV_5 = new Date('2020-11-05T02:00:00Z');

async function submit(deps: AppDeps, period: Period, keys: string[]): Promise<void> {
  const ids = await withDemoOrganisation(deps);
  await deps.prisma.$transaction(async (tx) => {
    for (const key of keys) {
      await recordFigure(tx, { indicatorId: ids.get(key) ?? -1, period, value: dec(1), channel: 'test', at: deps.now() });
    }
  });
}

/** The report as a director reads it: section, open indicators, people, deadline. */
const readable = (report: MissingReport) =>
  report.sections.map((section) => ({
    section: section.section.name,
    indicators: section.indicators.map((indicator) => indicator.key),
    people: section.people.map((person) => person.name),
    deadline: formatCivilDate(section.deadline),
  }));

describeEachDatabase('who has not reported', (ctx) => {
  it('lists exactly the sections still owing November 2020, their open indicators, their people and the deadline', async () => {
    const deps = ctx.deps(NOV_25);
    await submit(deps, { year: 2020, month: 11 }, [
      'industrial_output_value', 'industrial_added_value', 'industrial_investment', 'new_above_scale_firms', // 运行监测股, all
      'tech_upgrade_investment', 'clean_production_audits', // 产业技术与工业节能股, all
      'new_5g_sites', // 无线电与数字信息化和安全生产股, one of three
    ]);
    // A figure for another month does not count for November.
    await submit(deps, { year: 2020, month: 12 }, ['sme_credit_granted', 'sme_loans_issued']);

    const report = await missingReport(deps);
    expect(report.period).toEqual({ year: 2020, month: 11 });
    expect(readable(report)).toEqual([
      { section: '无线电与数字信息化和安全生产股', indicators: ['upgraded_4g_sites', 'village_fibre_coverage'], people: ['张伟'], deadline: '2020-11-30' },
      { section: '高新技术发展与产学研股', indicators: ['new_high_tech_firms', 'tech_sme_registered'], people: ['陈静'], deadline: '2020-11-30' },
      { section: '科技计划股', indicators: ['new_rd_institutions', 'rd_share_of_gdp'], people: ['刘洋', '黄磊'], deadline: '2020-11-30' },
      { section: '中小企业局', indicators: ['sme_credit_granted', 'sme_loans_issued'], people: ['赵敏'], deadline: '2020-11-30' },
    ]);
    expect(report.sections[2]?.people.map((person) => [person.key, person.roles, person.locale])).toEqual([
      ['liu', ['section_head'], 'zh-CN'],
      ['huang', ['staff'], 'en'],
    ]);
  });

  it('sets the November 2020 deadline on Monday the 30th, the last working day of the month', async () => {
    const deps = ctx.deps(NOV_25);
    await withDemoOrganisation(deps);
    const [first] = (await missingReport(deps, { year: 2020, month: 11 })).sections;
    expect(first?.deadline).toEqual({ year: 2020, month: 11, day: 30 });
    expect(first && [dayOfWeek(first.deadline), isWorkingDay(first.deadline)]).toEqual([1, true]);
  });

  it('asks about October while November’s window is not open yet (5 November, Asia/Shanghai)', async () => {
    const deps = ctx.deps(NOV_5);
    await withDemoOrganisation(deps);
    const report = await missingReport(deps);
    expect(report.period).toEqual({ year: 2020, month: 10 });
    expect(readable(report).map((section) => [section.section, section.deadline])).toEqual([
      ['运行监测股', '2020-10-30'],
      ['产业技术与工业节能股', '2020-10-30'],
      ['无线电与数字信息化和安全生产股', '2020-10-30'],
      ['高新技术发展与产学研股', '2020-10-30'],
      ['科技计划股', '2020-10-30'],
      ['中小企业局', '2020-10-30'],
    ]);
  });

  it("turns to November at midnight on the 20th in Shanghai's time, when UTC still has the 19th", async () => {
    await withDemoOrganisation(ctx.deps(NOV_25));
    expect((await missingReport(ctx.deps(new Date('2020-11-19T15:59:00Z')))).period).toEqual({ year: 2020, month: 10 });
    expect((await missingReport(ctx.deps(new Date('2020-11-19T16:00:00Z')))).period).toEqual({ year: 2020, month: 11 });
  });

  it('names nobody for a month every indicator has a figure for, and never a section without indicators', async () => {
    const deps = ctx.deps(NOV_25);
    const ids = await withDemoOrganisation(deps);
    await submit(deps, { year: 2019, month: 6 }, [...ids.keys()]);
    const all = await missingReport(deps, { year: 2019, month: 6 });
    expect({ period: all.period, sections: all.sections }).toEqual({ period: { year: 2019, month: 6 }, sections: [] });
    // What a question may name is there all the same: every active section and every reporter.
    expect(all.activeSections.map((section) => section.key)).toContain('office');
    expect(all.activeSections).toHaveLength(8);
    expect(all.reporters.map((member) => member.key)).toContain('wang');
    const sections = (await missingReport(deps, { year: 2019, month: 7 })).sections.map((section) => section.sectionKey);
    expect(sections).not.toContain('office');
    expect(sections).not.toContain('personnel');
  });
});
