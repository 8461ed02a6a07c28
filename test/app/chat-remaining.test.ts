import { describe, expect, it } from 'vitest';
import { texts, useChat } from '../helpers/chat.js';
import { describeEachDatabase } from '../helpers/databases.js';

/*
 * 还差多少 end to end through an in-memory channel on the demo organisation (its 2019–2020 series, and 2026
 * figures through October: 工业投资 18.20, 技改 2.05; nothing of November in). The clock stands at
 * 2026-11-25 10:00 (Asia/Shanghai): November's window is open, its deadline Monday 30 November.
 */

describeEachDatabase('chat: how much is left to the target', (ctx) => {
  const chat = useChat(ctx);

  async function ask(question: string, from = 'director'): Promise<string> {
    const { channel } = await chat.start();
    const replies = texts(await channel.say(from, question));
    expect(replies, question).toHaveLength(1);
    return replies[0]!;
  }

  describe('one indicator', () => {
    it('gives the demo’s 2020 results: the amount to go in the unit, or the amount over, and the rate', async () => {
      expect(await ask('2020年技改还差多少')).toBe('工业技改投资：1–12月累计 2.43 亿元，距年度目标 3 亿元还差 0.57 亿元，完成 81%。');
      expect(await ask('2020年工业投资离目标还差多少')).toBe(
        '工业投资：1–12月累计 25.15 亿元，已超额完成年度目标 21 亿元，超出 4.15 亿元，完成 119.76%。',
      );
      expect(await ask('2020年R&D还差多少')).toBe('R&D经费占GDP比重：截至12月 0.50%，距年度目标 0.66%还差 0.16 个百分点，完成 75.76%。');
      expect(await ask('2020年光网覆盖还差多少个')).toBe('20户以上自然村光网覆盖：1–12月累计 98 个，距年度目标 343 个还差 245 个，完成 28.57%。');
      expect(await ask('2020年清洁生产还差几家')).toBe('清洁生产审核企业：1–12月新增 7 家，已超额完成年度目标 5 家，超出 2 家，完成 140%。');
    });

    it('adds, in the current year, the months left, the pace they need and the amount against 序时进度', async () => {
      expect((await ask('技改还差多少')).split('\n')).toEqual([
        '工业技改投资：1–10月累计 2.05 亿元，距年度目标 3 亿元还差 0.95 亿元，完成 68.33%。',
        '年内还剩 2 个月，平均每月需完成 0.48 亿元。',
        '按序时进度（83.33%）应完成 2.50 亿元，还差 0.45 亿元。',
      ]);
      // 21 × 10/12 = 17.50 by 序时进度; 18.20 is 0.70 ahead of it, 2.80 short of the year's 21.
      expect((await ask('工业投资离年度目标还差多少')).split('\n')).toEqual([
        '工业投资：1–10月累计 18.20 亿元，距年度目标 21 亿元还差 2.80 亿元，完成 86.67%。',
        '年内还剩 2 个月，平均每月需完成 1.40 亿元。',
        '按序时进度（83.33%）应完成 17.50 亿元，已超出 0.70 亿元。',
      ]);
    });

    it('gives the target and who owes the figure when none is in, and says when there is no target', async () => {
      expect(await ask('R&D还差多少')).toBe(
        'R&D经费占GDP比重：2026年目标 0.66%，尚无数据（最近有数据的是 2020年12月）；2026年11月尚未报送（科技计划股 刘洋、黄磊，截止11月30日）。',
      );
      expect(await ask('规上工业总产值还差多少')).toBe('规上工业总产值：1–10月累计 40.00 亿元（2026年未设目标）。');
    });
  });

  describe('no indicator named', () => {
    it('lists those with a target not yet met, furthest behind 序时进度 first, then those with no figure and those met', async () => {
      expect((await ask('2020年距年度目标还差多少')).split('\n')).toEqual([
        '2020年尚未完成年度目标的指标（数据截至12月，3 项，落后序时进度多的在前）：',
        '1. 20户以上自然村光网覆盖：1–12月累计 98 个，距年度目标 343 个还差 245 个，完成 28.57%，落后序时进度 71.43 个百分点。',
        '2. 工业技改投资：1–12月累计 2.43 亿元，距年度目标 3 亿元还差 0.57 亿元，完成 81%，落后序时进度 19 个百分点。',
        // A level (a share) has no 序时进度: after those measured against it.
        '3. R&D经费占GDP比重：截至12月 0.50%，距年度目标 0.66%还差 0.16 个百分点，完成 75.76%。',
        '另有 4 项已完成2020年目标：新增高新技术企业、新增研发机构、工业投资、清洁生产审核企业。',
      ]);
      expect((await ask('还差多少')).split('\n')).toEqual([
        '2026年尚未完成年度目标的指标（数据截至10月，2 项，落后序时进度多的在前）：',
        '1. 工业技改投资：1–10月累计 2.05 亿元，距年度目标 3 亿元还差 0.95 亿元，完成 68.33%，落后序时进度 15 个百分点。',
        '2. 工业投资：1–10月累计 18.20 亿元，距年度目标 21 亿元还差 2.80 亿元，完成 86.67%，领先序时进度 3.34 个百分点。',
        '另有 5 项指标2026年尚无数据：新增高新技术企业、新增研发机构、R&D经费占GDP比重、20户以上自然村光网覆盖、清洁生产审核企业。',
      ]);
      expect(await ask('缺口多大')).toBe(await ask('还差多少'));
    });

    it('leaves 还差谁 and 还差几项没报 to who has not reported, while 还差几个 asks for figures', async () => {
      for (const question of ['还差谁', '还差几项没报', '还差哪些股室']) {
        expect(await ask(question), question).toMatch(/^2026年11月 未报送情况（截止 11月30日）：/);
      }
      expect(await ask('还差几个')).toMatch(/^2026年尚未完成年度目标的指标/);
    });
  });

  describe('who may see what', () => {
    it('gives staff their own section’s indicators only', async () => {
      expect((await ask('还差多少', 'zhou')).split('\n')).toEqual([
        '2026年尚未完成年度目标的指标（数据截至10月，1 项，落后序时进度多的在前）：',
        '1. 工业投资：1–10月累计 18.20 亿元，距年度目标 21 亿元还差 2.80 亿元，完成 86.67%，领先序时进度 3.34 个百分点。',
      ]);
      expect(await ask('技改还差多少', 'zhou')).toBe('您只能查看本股室的指标。');
    });

    it('answers in English, in the indicator’s own words', async () => {
      expect(await ask('how much is left', 'huang')).toBe(
        'No figures for 2026 yet, so nothing can be measured against its target; all 2 indicators with a target are still unreported: New R&D institutions, R&D expenditure as a share of GDP.',
      );
      expect(await ask('how far are we from the new R&D institutions target', 'huang')).toBe(
        'New R&D institutions: 2026 target 5 institutions; no figures yet (latest figures: December 2020); November 2026 not reported yet (Science and Technology Planning Section: 刘洋, 黄磊, due 30 November).',
      );
    });
  });

  it('is offered in the help, with an indicator of the member’s that has a target', async () => {
    expect(await ask('帮助')).toContain('“工业投资还差多少”');
  });

  it('answers in the middle of a report when it names an indicator, then asks the report’s question again', async () => {
    const { channel } = await chat.start();
    const [, question] = texts(await channel.say('zhang', '/report'));
    expect(question).toMatch(/^\(1\/3\) /);
    const asked = texts(await channel.say('zhang', '光网覆盖还差多少个'));
    expect(asked[0]).toMatch(/^20户以上自然村光网覆盖：2026年目标 343 个，尚无数据/);
    expect(asked.at(-1)).toBe(question);
    await channel.say('zhang', '取消');
  });
});
