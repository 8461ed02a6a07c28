/*
 * The November 2026 scenario on the demo bureau: who reports when, and therefore who must be reminded of
 * what. The deadline is Monday 30 November; the tests walk a clock from 19 November to 10 December.
 */

/** Who reports when (the whole section unless said otherwise), wall-clock time in Asia/Shanghai. */
export const NOVEMBER_SUBMISSIONS: Array<{ at: string; keys: string[] }> = [
  { at: '2026-11-23 15:00', keys: ['sme_credit_granted', 'sme_loans_issued'] }, // 中小企业局, before any reminder
  { at: '2026-11-26 11:00', keys: ['industrial_output_value', 'industrial_added_value', 'industrial_investment'] }, // 运行监测股, 3 of 4
  { at: '2026-11-30 16:00', keys: ['new_high_tech_firms', 'tech_sme_registered'] }, // 高新技术发展与产学研股, on the deadline
  { at: '2026-12-02 10:00', keys: ['tech_upgrade_investment', 'clean_production_audits'] }, // 产业技术与工业节能股, overdue
  { at: '2026-12-03 14:00', keys: ['new_above_scale_firms'] }, // 运行监测股's last one
];
// 无线电与数字信息化和安全生产股 (张伟) and 科技计划股 (刘洋, 黄磊) never report; 办公室 and 人事股 own no indicator.

const OPEN_TO_DEADLINE = ['Fri 2026-11-20 09:00 open', 'Wed 2026-11-25 09:00 before-3', 'Fri 2026-11-27 09:00 before-1', 'Mon 2026-11-30 09:00 deadline'];
const OVERDUE = [
  'Tue 2026-12-01 09:00 overdue-1',
  'Wed 2026-12-02 09:00 overdue-2',
  'Thu 2026-12-03 09:00 overdue-3',
  'Fri 2026-12-04 09:00 overdue-4',
  'Mon 2026-12-07 09:00 overdue-5',
];

/** What each member must have been sent by 10 December, as `remindersSent` shows it. */
export const NOVEMBER_REMINDERS: Record<string, string[]> = {
  // 运行监测股: its last figure came on 3 December at 14:00, after that morning's 催报.
  wang: [...OPEN_TO_DEADLINE, ...OVERDUE.slice(0, 3)],
  zhou: [...OPEN_TO_DEADLINE, ...OVERDUE.slice(0, 3)],
  // 产业技术与工业节能股 reported on 2 December at 10:00.
  li: [...OPEN_TO_DEADLINE, ...OVERDUE.slice(0, 2)],
  // Never reported: five 催报, then silence.
  zhang: [...OPEN_TO_DEADLINE, ...OVERDUE],
  liu: [...OPEN_TO_DEADLINE, ...OVERDUE],
  huang: [...OPEN_TO_DEADLINE, ...OVERDUE],
  // Reported on the deadline afternoon.
  chen: OPEN_TO_DEADLINE,
  // Reported before the first reminder after the opening.
  zhao: ['Fri 2026-11-20 09:00 open'],
  director: ['Tue 2026-12-01 09:00 escalation'],
  deputy: ['Tue 2026-12-01 09:00 escalation'],
};

/** The escalation both directors get on 1 December. */
export const NOVEMBER_ESCALATION = [
  '2026年11月 数据逾期未报（截止 11月30日）：',
  '· 运行监测股（王明、周婷）：新增规上企业',
  '· 产业技术与工业节能股（李华）：工业技改投资、清洁生产审核企业',
  '· 无线电与数字信息化和安全生产股（张伟）：5G基站建设、4G基站改造、20户以上自然村光网覆盖',
  '· 科技计划股（刘洋、黄磊）：新增研发机构、R&D经费占GDP比重',
].join('\n');

/** Every day of the walk, 'YYYY-MM-DD'. */
export function walkDays(from = '2026-11-19', to = '2026-12-10'): string[] {
  const days: string[] = [];
  for (let ms = Date.parse(`${from}T00:00:00Z`); ms <= Date.parse(`${to}T00:00:00Z`); ms += 86_400_000) {
    days.push(new Date(ms).toISOString().slice(0, 10));
  }
  return days;
}
