import { describe, expect, it } from 'vitest';
import { type MissingReport, type MissingSection, missingLines } from '../../src/app/missing-report.js';
import { translator } from '../../src/core/i18n.js';
import type { StoredIndicator } from '../../src/db/org-repository.js';

/* How 谁还没报 and `cli missing` say the deadlines, when sections keep schedules of their own. */

const t = translator('zh-CN');
const section = (name: string, indicator: string, deadline: MissingSection['deadline']): MissingSection => ({
  sectionKey: name,
  section: { name },
  deadline,
  indicators: [{ key: indicator, name: indicator, nameEn: indicator } as StoredIndicator],
  people: [],
});
const report = (today: MissingReport['today'], sections: MissingSection[]): MissingReport => ({
  period: { year: 2026, month: 12 },
  current: { year: 2026, month: 12 },
  sections,
  activeSections: [],
  reporters: [],
  today,
});

describe('the missing report in lines', () => {
  const monitoring = section('运行监测股', '工业投资', { year: 2026, month: 12, day: 31 });
  const radio = section('信息化与无线电股', '5G基站建设', { year: 2026, month: 12, day: 25 });

  it('gives each section its own deadline when they differ, and says which have passed', () => {
    const lines = missingLines(t, 'zh-CN', report({ year: 2026, month: 12, day: 28 }, [monitoring, radio]), [monitoring, radio]);
    expect(lines).toEqual([
      '2026年12月 未报送情况（各股室截止日不同）：',
      '运行监测股（截止 12月31日）：工业投资',
      '　（该股室尚无报送人员）',
      '信息化与无线电股（截止 12月25日，已逾期）：5G基站建设',
      '　（该股室尚无报送人员）',
    ]);
  });

  it('keeps one deadline in the header when every section shares it, saying when it has passed', () => {
    const lines = missingLines(t, 'zh-CN', report({ year: 2027, month: 1, day: 5 }, [monitoring]), [monitoring]);
    expect(lines[0]).toBe('2026年12月 未报送情况（截止 12月31日，已逾期）：');
    expect(lines[1]).toBe('运行监测股：工业投资');
  });
});
