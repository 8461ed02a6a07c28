import { beforeAll, describe, expect, it } from 'vitest';
import { texts, useChat } from '../helpers/chat.js';
import { describeEachDatabase } from '../helpers/databases.js';

/*
 * What a member whose locale is en reads, end to end through an in-memory channel on the demo organisation
 * (2019–2020 series, September and October 2026 figures, nothing of November 2026): sections by their
 * English names (`name_en`), money in yuan, millions and billions. 黄磊 (huang) is staff of 科技计划股;
 * 吴建国 (deputy), a director, and 周婷 (zhou), staff of 运行监测股, are made English readers for this
 * suite. The clock stands at 2026-11-25 10:00 (Asia/Shanghai).
 */

const PLANNING = 'Science and Technology Planning Section';

describeEachDatabase('chat in English', (ctx) => {
  const chat = useChat(ctx);
  beforeAll(async () => {
    await ctx.db().prisma.member.updateMany({ where: { key: { in: ['deputy', 'zhou'] } }, data: { locale: 'en' } });
  });

  async function ask(question: string, from = 'huang'): Promise<string> {
    const { channel } = await chat.start();
    const replies = texts(await channel.say(from, question));
    expect(replies, question).toHaveLength(1);
    return replies[0]!;
  }

  describe('names sections by their English names', () => {
    it('in who has not reported', async () => {
      expect((await ask('who has not reported')).split('\n')).toEqual([
        'November 2026 not yet reported (deadline 30 November):',
        `${PLANNING}: New R&D institutions, R&D expenditure as a share of GDP`,
        '  responsible: 刘洋, 黄磊',
        'Besides, October 2026 is still not fully reported (deadline 30 October, now overdue):',
        `${PLANNING}: New R&D institutions, R&D expenditure as a share of GDP`,
        '  responsible: 刘洋, 黄磊',
      ]);
    });

    it('in who is responsible for what is behind, and who owes a figure', async () => {
      expect(await ask('which indicators are behind in 2020')).toBe(
        [
          'Nothing is behind schedule in 2020 (figures through December).',
          // A level (a share) is not behind schedule: short of its target, it is named with who is responsible.
          `Level indicators are measured by their value against the year’s target, not against time elapsed; 1 is short of it: R&D expenditure as a share of GDP 0.50%, 0.16 percentage points short of the target (responsible: ${PLANNING}: 刘洋, 黄磊).`,
        ].join('\n'),
      );
      expect(await ask('what is our R&D share')).toBe(
        `R&D expenditure as a share of GDP: no figures for 2026 yet (latest figures: December 2020); November 2026 not reported yet (${PLANNING}: 刘洋, 黄磊, due 30 November).`,
      );
    });

    it('in the help’s one-line report, written as English writes a figure and the chat reads it', async () => {
      const help = await ask('help');
      expect(help).toMatch(/"(?:New R&D institutions 3|R&D expenditure as a share of GDP 0\.5%)"/);
      expect(help).not.toMatch(/[家个]"/);
    });

    it('in the overview of a section member’s own section', async () => {
      expect((await ask('progress')).split('\n')[0]).toBe(`${PLANNING}: no figures for 2026 yet (0 of the section's 2 figures reported for November 2026)`);
    });

    it('to an English-speaking director, who may name a section by its English name', async () => {
      expect(await ask('has the Science and Technology Planning Section reported', 'deputy')).toBe(
        `${PLANNING} (刘洋, 黄磊): 2 of November 2026’s figures still to report — New R&D institutions, R&D expenditure as a share of GDP; due 30 November.\n` +
          '  Also October 2026: 2 still not reported — New R&D institutions, R&D expenditure as a share of GDP; due 30 October, overdue.',
      );
      expect(await ask('has the SME Bureau reported', 'deputy')).toMatch(/^SME Bureau \(赵敏\): 2 of November 2026’s figures still to report/);
      expect((await ask('why is tech upgrade investment behind', 'deputy')).split('\n')[1]).toBe(
        'November 2026 not reported yet (Industrial Technology and Energy Conservation Section: 李华, due 30 November).',
      );
      // The examples of what to say name a section as the director reads it.
      expect(await ask('remind Mr Nobody', 'deputy')).toContain('"remind Economic Operation Monitoring Section"');
      // The bureau too, by the file's name_en.
      expect((await ask('progress', 'deputy')).split('\n')[0]).toMatch(/^Lechang Bureau of Industry and Information Technology/);
    });

    it('in the name of the workbook /export sends an English reader', async () => {
      const { channel } = await chat.start();
      const [sent] = await channel.say('deputy', '/export');
      expect(sent?.file?.name).toBe('Lechang Bureau of Industry and Information Technology-2026.xlsx');
    });

    it('but not to a member who reads Chinese', async () => {
      expect((await ask('谁还没报', 'director')).split('\n')).toContain('科技计划股：新增研发机构、R&D经费占GDP比重');
    });
  });

  describe('says money in yuan, millions and billions', () => {
    it('in progress lines and targets', async () => {
      expect(await ask('2020 industrial investment', 'deputy')).toBe(
        'Industrial investment: Jan–December cumulative 2.515 billion yuan, 119.76% of the annual target 2.1 billion yuan; time elapsed 100%, 19.76 points ahead; up 33.7% year on year.',
      );
      expect(await ask('tech upgrade target', 'deputy')).toBe('Industrial technology upgrade investment: 2026 target 300 million yuan.');
      expect((await ask('why is tech upgrade investment behind', 'deputy')).split('\n')[0]).toBe(
        'Industrial technology upgrade investment: 68.33% achieved against 83.33% of the year elapsed, 15 points behind; 45 million yuan short of schedule.',
      );
    });

    it('year on year and month on month', async () => {
      expect(await ask('2020 industrial investment vs last year', 'deputy')).toBe(
        'Industrial investment: Jan–December cumulative 2.515 billion yuan, same period last year 1.881 billion yuan, up 33.7% year on year.',
      );
      // 2020: 19.11, 21.88 and 25.15 亿元 through October, November and December.
      expect(await ask('2020 industrial investment month on month', 'deputy')).toBe(
        'Industrial investment: added in December 327 million yuan, added in November 277 million yuan, up 18.1% month on month.',
      );
    });

    it('in the reporting dialogue: last month’s figure, the summary and what is submitted', async () => {
      const { channel } = await chat.start();
      const [, first] = texts(await channel.say('zhou', '/report'));
      expect(first).toBe('(1/4) Gross industrial output (above designated size), Jan–November cumulative (hundred million yuan)? (last month: 4 billion yuan)');
      expect(texts(await channel.say('zhou', '42'))).toEqual([
        '(2/4) Industrial value added (above designated size), Jan–November cumulative (hundred million yuan)? (last month: 1.05 billion yuan)',
      ]);
      await channel.say('zhou', '11');
      await channel.say('zhou', '19.6');
      const [summary] = texts(await channel.say('zhou', '3'));
      expect(summary).toBe(
        [
          'Please check the figures for November 2026:',
          '1. Gross industrial output (above designated size): 4.2 billion yuan',
          '2. Industrial value added (above designated size): 1.1 billion yuan',
          '3. Industrial investment: 1.96 billion yuan',
          '4. New above-scale enterprises: 3 firms',
        ].join('\n'),
      );
      const submitted = texts(await channel.say('zhou', 'confirm')).join('\n');
      expect(submitted).toContain('Submitted 4 figures for November 2026.');
      expect(submitted).toContain(
        'Industrial investment: Jan–November cumulative 1.96 billion yuan, 93.33% of the annual target 2.1 billion yuan; time elapsed 91.67%, 1.66 points ahead.',
      );
      expect(submitted).not.toMatch(/hundred million|ten thousand/);
    });

    it('in a correction’s current figure', async () => {
      const { channel } = await chat.start();
      const replies = texts(await channel.say('zhou', '/report 2026-10'));
      expect(replies.at(-1)).toBe(
        '(1/4) Gross industrial output (above designated size), Jan–October cumulative (hundred million yuan)? (currently: 4 billion yuan; last month: 3.6 billion yuan)',
      );
      await channel.say('zhou', 'cancel');
    });

    it('and reads an answer written so (4.1 billion, 940 million yuan), not as 4.1 in the indicator’s unit', async () => {
      const { channel } = await chat.start();
      await channel.say('zhou', '/report 2026-10');
      expect(texts(await channel.say('zhou', '4.1 billion'))).toEqual([
        '(2/4) Industrial value added (above designated size), Jan–October cumulative (hundred million yuan)? (currently: 1.05 billion yuan; last month: 940 million yuan)',
      ]);
      expect(texts(await channel.say('zhou', 'back'))).toEqual([
        '(1/4) Gross industrial output (above designated size), Jan–October cumulative (hundred million yuan)? (your answer: 4.1 billion yuan; currently: 4 billion yuan; last month: 3.6 billion yuan)',
      ]);
      await channel.say('zhou', '4.1 billion');
      await channel.say('zhou', '1,060 million yuan, revised by the stats bureau');
      await channel.say('zhou', 'skip');
      const [summary] = texts(await channel.say('zhou', 'skip'));
      expect(summary?.split('\n').slice(0, 3)).toEqual([
        'Please check the corrections for October 2026:',
        '1. Gross industrial output (above designated size): 4.1 billion yuan (was 4 billion yuan)',
        '2. Industrial value added (above designated size): 1.06 billion yuan (was 1.05 billion yuan) (note: revised by the stats bureau)',
      ]);
      await channel.say('zhou', 'cancel');
    });
  });
});
