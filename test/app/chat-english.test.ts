import { beforeAll, describe, expect, it } from 'vitest';
import { texts, useChat } from '../helpers/chat.js';
import { describeEachDatabase } from '../helpers/databases.js';

/*
 * What a member whose locale is en reads, end to end through an in-memory channel on the demo organisation
 * (2019–2020 series, September and October 2026 figures, nothing of November 2026): sections by their
 * English names (`name_en`). 黄磊 (huang) is staff of 科技计划股; 吴建国 (deputy), a director, is made an
 * English reader for this suite. The clock stands at 2026-11-25 10:00 (Asia/Shanghai).
 */

const PLANNING = 'Science and Technology Planning Section';

describeEachDatabase('chat in English', (ctx) => {
  const chat = useChat(ctx);
  beforeAll(async () => {
    await ctx.db().prisma.member.update({ where: { key: 'deputy' }, data: { locale: 'en' } });
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
          'Behind schedule in 2020 (figures through December; 1 indicator, largest gap first):',
          '1. R&D expenditure as a share of GDP: as of December 0.50%, target 0.66%, 75.76% achieved, time elapsed 100%, 24.24 points behind.',
          `   Responsible: ${PLANNING}: 刘洋, 黄磊`,
        ].join('\n'),
      );
      expect(await ask('what is our R&D share')).toBe(
        `R&D expenditure as a share of GDP: no figures for 2026 yet (latest figures: December 2020); November 2026 not reported yet (${PLANNING}: 刘洋, 黄磊, due 30 November).`,
      );
    });

    it('in the overview of a section member’s own section', async () => {
      expect((await ask('progress')).split('\n')[0]).toBe(`${PLANNING}: no figures for 2026 yet (0 of 6 sections have reported November 2026)`);
    });

    it('to an English-speaking director, who may name a section by its English name', async () => {
      expect(await ask('has the Science and Technology Planning Section reported', 'deputy')).toBe(
        `${PLANNING} (刘洋, 黄磊): 2 of November 2026’s figures still to report — New R&D institutions, R&D expenditure as a share of GDP; due 30 November.`,
      );
      expect(await ask('has the SME Bureau reported', 'deputy')).toMatch(/^SME Bureau \(赵敏\): 2 of November 2026’s figures still to report/);
      expect((await ask('why is tech upgrade investment behind', 'deputy')).split('\n')[1]).toBe(
        'November 2026 not reported yet (Industrial Technology and Energy Conservation Section: 李华, due 30 November).',
      );
      // The examples of what to say name a section as the director reads it.
      expect(await ask('remind Mr Nobody', 'deputy')).toContain('"remind Economic Operation Monitoring Section"');
    });

    it('but not to a member who reads Chinese', async () => {
      expect((await ask('谁还没报', 'director')).split('\n')[1]).toBe('运行监测股：规上工业总产值、规上工业增加值、工业投资、新增规上企业');
    });
  });
});
