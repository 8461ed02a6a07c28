import { expect, it } from 'vitest';
import { NOV_25, seedFigures, texts, useChat } from '../helpers/chat.js';
import { describeEachDatabase } from '../helpers/databases.js';

/*
 * 哪些逾期了: of those who have not reported, only those whose deadline has passed. 2026-11-25: November is
 * open (deadline 30 November, not passed); October's deadline (30 October) has, and only 运行监测股 and
 * 工业技改投资 are in for it (see the helper's FIGURES_2026).
 */

// October's figures of every indicator not yet in for it.
const REST_OF_OCTOBER = [
  'new_high_tech_firms,2026-10,1',
  'new_rd_institutions,2026-10,1',
  'rd_share_of_gdp,2026-10,0.5',
  'tech_sme_registered,2026-10,2',
  'new_5g_sites,2026-10,7',
  'upgraded_4g_sites,2026-10,9',
  'village_fibre_coverage,2026-10,80',
  'clean_production_audits,2026-10,1',
  'sme_credit_granted,2026-10,18',
  'sme_loans_issued,2026-10,11',
];

describeEachDatabase('chat: who is overdue', (ctx) => {
  const chat = useChat(ctx);

  it('lists only the sections whose deadline has passed, not the month still open', async () => {
    const { channel } = await chat.start();
    const [answer] = texts(await channel.say('director', '哪些股室逾期了'));
    expect(answer).toMatch(/^2026年10月 未报送情况（截止 10月30日，已逾期）：\n产业技术与工业节能股：清洁生产审核企业\n/);
    expect(answer).not.toContain('2026年11月');
    expect(answer).not.toContain('运行监测股');
    expect(texts(await channel.say('director', '逾期未报的有哪些'))).toEqual([answer]);
    // Without 逾期, the month still open comes first, as before.
    expect(texts(await channel.say('director', '谁还没报'))[0]).toMatch(/^2026年11月 未报送情况（截止 11月30日）：/);
  });

  it('says nobody is overdue once the late month is in, and what is still open', async () => {
    await seedFigures(ctx.deps(NOV_25), REST_OF_OCTOBER);
    const { channel } = await chat.start();
    expect(texts(await channel.say('director', '哪些股室逾期了'))).toEqual(['目前没有逾期未报的股室。2026年11月 还有 6 个股室未报，尚未到截止日。']);
    expect(texts(await channel.say('director', 'who is overdue'))).toEqual(['目前没有逾期未报的股室。2026年11月 还有 6 个股室未报，尚未到截止日。']);
  });
});
