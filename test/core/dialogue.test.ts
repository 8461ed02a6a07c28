import { describe, expect, it } from 'vitest';
import { dec } from '../../src/core/decimal.js';
import { currentPrompt, startOneShot, startReport, stepDialogue } from '../../src/core/dialogue/engine.js';
import type { DialogueState, DialogueStep } from '../../src/core/dialogue/types.js';
import { OCTOBER, after, context, conversation, investment, newFirms, rdShare, sites5g, submitted, threeItems } from './dialogue-fixtures.js';

const start = (ctx = context()) => startReport(ctx, { correction: false });

describe('opening a report', () => {
  it('greets, names the period, deadline and count, and asks the first question as docs/product.md shows', () => {
    const step = start();
    expect(step.replies).toEqual([
      '王股长您好！请报送 2026年11月 数据（截止 11月30日），共 3 项。直接回复数字即可，可带单位。',
      '(1/3) 工业投资 1–11月累计（亿元）？上月 18.20',
    ]);
    expect(step.state).toMatchObject({ kind: 'reporting', phase: 'asking', index: 0, correction: false });
    expect(step.effects).toEqual([]);
  });

  it('words the question by kind and shows 上月 only when there is a previous figure', () => {
    const ctx = context({ items: [{ indicator: newFirms, previous: { period: OCTOBER, value: dec(2) } }, { indicator: rdShare }] });
    const steps = conversation(ctx, start(ctx), '3家');
    expect(steps[0]!.replies[1]).toBe('(1/2) 新增规上企业 11月新增（家）？上月 2');
    expect(steps[1]!.replies).toEqual(['(2/2) R&D经费占GDP比重 截至11月（%）？']);
  });

  it('names the month of the previous figure when it is not last month', () => {
    const ctx = context({ items: [{ indicator: investment, previous: { period: { year: 2026, month: 9 }, value: dec('15.1') } }] });
    expect(start(ctx).replies[1]).toBe('(1/1) 工业投资 1–11月累计（亿元）？2026年9月 15.10');
  });

  it('leaves out the deadline when there is none', () => {
    expect(start(context({ deadline: undefined })).replies[0]).toBe(
      '王股长您好！请报送 2026年11月 数据，共 3 项。直接回复数字即可，可带单位。',
    );
  });

  it('asks only what is not reported yet and says how many are in', () => {
    const items = threeItems();
    items[0] = { ...items[0]!, current: { value: dec('19.6') } };
    const step = start(context({ items }));
    expect(step.replies).toEqual([
      '王股长您好！请报送 2026年11月 数据（截止 11月30日），已报 1 项，还有 2 项。直接回复数字即可，可带单位。',
      '(1/2) 工业技改投资 1–11月累计（亿元）？上月 2.05',
    ]);
  });

  it('says the period is complete and how to correct it when everything is reported', () => {
    const items = threeItems().map((item) => ({ ...item, current: { value: dec(3) } }));
    const step = start(context({ items }));
    expect(step.state).toEqual({ kind: 'idle' });
    expect(step.replies).toEqual(['2026年11月 的 3 项数据都已报送，谢谢！如需更正，请发送 /report 2026-11。']);
  });

  it('names the month before, still missing figures past its deadline, with the command that files them', () => {
    const items = threeItems().map((item) => ({ ...item, current: { value: dec(3) } }));
    const october = { period: { year: 2026, month: 10 }, deadline: { year: 2026, month: 10, day: 30 }, count: 2 };
    const step = start(context({ items, earlierMissing: october, today: { year: 2026, month: 11, day: 25 } }));
    expect(step.replies).toEqual([
      '2026年11月 的 3 项数据都已报送，谢谢！2026年10月 还有 2 项没有报送（截止 10月30日，已逾期），发送 /report 2026-10 补报。如需更正，请发送 /report 2026-11。',
    ]);
    // Not before its deadline has passed.
    expect(start(context({ items, earlierMissing: october, today: { year: 2026, month: 10, day: 30 } })).replies[0]).not.toContain('2026年10月');
  });

  it('tells a member who owns no indicator that there is nothing to report', () => {
    const step = start(context({ items: [] }));
    expect(step.state).toEqual({ kind: 'idle' });
    expect(step.replies).toEqual(['您名下暂时没有需要报送的指标（各项指标由哪个股室报送，在组织文件中设定）。']);
  });
});

describe('a full report', () => {
  it('asks each item in turn, shows the summary and submits exact figures on 确认', () => {
    const ctx = context();
    const steps = conversation(ctx, start(ctx), '19.6亿', '两千三百万', '3家', '确认');
    expect(steps[1]!.replies).toEqual(['(2/3) 工业技改投资 1–11月累计（亿元）？上月 2.05']);
    // 0.23 is below October's 2.05, so the cumulative fall is queried first.
    expect(steps[2]!.state).toMatchObject({ phase: 'confirm_suspicious' });
    const review = after(ctx, start(ctx), '19.6亿', '2.43亿', '3家');
    expect(review.state).toMatchObject({ phase: 'review' });
    expect(review.replies).toEqual([
      '请核对 2026年11月 数据：\n1. 工业投资 19.60 亿元\n2. 工业技改投资 2.43 亿元\n3. 新增规上企业 3 家',
      '回复“确认”提交；要改某一项，回复序号和新数字，如“2 2.5”；回复“取消”放弃本次填写。',
    ]);
    const done = stepDialogue(review.state, '确认', ctx);
    expect(done.state).toEqual({ kind: 'idle' });
    expect(done.replies).toEqual(['已提交 2026年11月 数据 3 项。']);
    expect(done.effects).toHaveLength(1);
    expect(done.effects[0]).toMatchObject({ type: 'submit', period: { year: 2026, month: 11 }, correction: false });
    expect(done.effects[0]!.reason).toBeUndefined();
    expect(submitted(done)).toEqual([
      { key: 'industrial_investment', value: '19.6' },
      { key: 'tech_upgrade_investment', value: '2.43' },
      { key: 'new_above_scale_firms', value: '3' },
    ]);
  });

  it('accepts 提交, ok and 好 as confirmation of the summary', () => {
    const ctx = context();
    for (const word of ['提交', 'OK', '好的', 'ｃｏｎｆｉｒｍ']) {
      expect(after(ctx, start(ctx), '19.6', '2.43', '3', word).effects).toHaveLength(1);
    }
  });

  it('keeps a note written after the number and shows it in the summary', () => {
    const ctx = context();
    const review = after(ctx, start(ctx), '19.6', '2.43', '3家 博昇乐、创睿极光、金丰');
    expect(review.replies[0]).toContain('3. 新增规上企业 3 家（备注：博昇乐、创睿极光、金丰）');
    expect(submitted(stepDialogue(review.state, '确认', ctx))[2]).toEqual({
      key: 'new_above_scale_firms',
      value: '3',
      note: '博昇乐、创睿极光、金丰',
    });
  });
});

describe('skip, back and cancel', () => {
  it('跳过 leaves an item out of the submission and the reply says how to add it later', () => {
    const ctx = context();
    const review = after(ctx, start(ctx), '19.6', '跳过', '3');
    expect(review.replies[0]).toContain('2. 工业技改投资 跳过');
    const done = stepDialogue(review.state, '确认', ctx);
    expect(submitted(done).map((f) => f.key)).toEqual(['industrial_investment', 'new_above_scale_firms']);
    expect(done.replies).toEqual(['已提交 2026年11月 数据 2 项；跳过的 1 项可随时发送 /report 补报。']);
  });

  it('accepts 略过, 下一项 and skip as skips', () => {
    const ctx = context();
    expect(after(ctx, start(ctx), '略过', '下一项', 'Skip').state).toMatchObject({
      phase: 'review',
      answers: { industrial_investment: { skipped: true }, tech_upgrade_investment: { skipped: true } },
    });
  });

  it('上一项 goes back to the previous question and shows the answer given', () => {
    const ctx = context();
    const step = after(ctx, start(ctx), '19.6', '上一项');
    expect(step.replies).toEqual(['(1/3) 工业投资 1–11月累计（亿元）？已填 19.60，上月 18.20']);
    expect(step.state).toMatchObject({ index: 0 });
  });

  it('after going back and answering again, goes on with the first question not yet answered', () => {
    const ctx = context();
    const step = after(ctx, start(ctx), '19.6', '2.43', '返回', '返回', '19.7');
    expect(step.replies).toEqual(['(3/3) 新增规上企业 11月新增（家）？上月 2']);
  });

  it('says so and stays on the first question when 上一项 is sent there', () => {
    const ctx = context();
    const step = after(ctx, start(ctx), 'back');
    expect(step.replies).toEqual(['已经是第一项了。', '(1/3) 工业投资 1–11月累计（亿元）？上月 18.20']);
    expect(step.state).toMatchObject({ phase: 'asking', index: 0 });
  });

  it('取消 ends the dialogue and submits nothing', () => {
    const ctx = context();
    for (const word of ['取消', '算了', '退出', 'cancel', ' 取消。']) {
      const step = after(ctx, start(ctx), '19.6', word);
      expect(step.state).toEqual({ kind: 'idle' });
      expect(step.effects).toEqual([]);
      expect(step.replies).toEqual(['已取消，本次填写的内容都没有提交。需要时发送 /report 重新开始。']);
    }
  });
});

describe('the summary', () => {
  const ctx = context();
  const review = () => after(ctx, start(ctx), '19.6', '2.43', '3');

  it('changes item 2 with `2 2.5` and shows the summary again', () => {
    const step = stepDialogue(review().state, '2 2.5', ctx);
    expect(step.state).toMatchObject({ phase: 'review' });
    expect(step.replies[0]).toContain('2. 工业技改投资 2.50 亿元');
    expect(submitted(stepDialogue(step.state, '确认', ctx))[1]).toEqual({ key: 'tech_upgrade_investment', value: '2.5' });
  });

  it('reads the edit with a unit, a note and full-width digits', () => {
    const step = stepDialogue(review().state, '３、四家 博昇乐', ctx);
    expect(step.replies[0]).toContain('3. 新增规上企业 4 家（备注：博昇乐）');
  });

  it('queries a suspicious edit and returns to the summary whichever way it is answered', () => {
    const query = stepDialogue(review().state, '2 1.8', ctx);
    expect(query.state).toMatchObject({ phase: 'confirm_suspicious', pending: { key: 'tech_upgrade_investment', value: '1.8', returnTo: 'review' } });
    expect(query.replies[0]).toBe('请核对：工业技改投资是累计数，一般不会减少，但本次 1.80 亿元 比上月（2.05 亿元）少。');
    const kept = stepDialogue(query.state, '是', ctx);
    expect(kept.state).toMatchObject({ phase: 'review' });
    expect(kept.replies[0]).toContain('2. 工业技改投资 1.80 亿元');
    const dropped = stepDialogue(query.state, '否', ctx);
    expect(dropped.state).toMatchObject({ phase: 'review' });
    expect(dropped.replies[0]).toContain('2. 工业技改投资 2.43 亿元');
  });

  it('keeps the query about a suspicious edit standing when the answer to it is neither 是/否 nor a figure it can take', () => {
    const query = stepDialogue(review().state, '2 1.8', ctx);
    // An edit of another item (`3 99999`): the query is answered first, and asked again.
    const other = stepDialogue(query.state, '3 99999', ctx);
    expect(other.state).toEqual(query.state);
    expect(other.replies).toEqual(['请先回答上面这项的核对，再改其他项。', ...query.replies]);
    // Two numbers (`2.2 3`): said so, and the question about 1.80 is asked again.
    const two = stepDialogue(query.state, '2.2 3', ctx);
    expect(two.state).toEqual(query.state);
    expect(two.replies[0]).toMatch(/不止一个数字/);
    expect(two.replies.slice(1)).toEqual(query.replies);
    // A figure it can take replaces the queried one, as before, also written as an edit of the same item.
    expect(stepDialogue(query.state, '2.2', ctx).replies[0]).toContain('2. 工业技改投资 2.20 亿元');
    expect(stepDialogue(query.state, '2 2.2', ctx).replies[0]).toContain('2. 工业技改投资 2.20 亿元');
    expect(stepDialogue(query.state, '第2项：两亿二千万', ctx).replies[0]).toContain('2. 工业技改投资 2.20 亿元');
  });

  it('refuses a bad edit with the reason and the instruction, keeping the summary as it was', () => {
    const before = review();
    const step = stepDialogue(before.state, '1 三家', ctx);
    expect(step.replies[0]).toBe('单位对不上：本项以“亿元”计，您写的是“家”。请按亿元回复，或只回复数字。');
    expect(step.replies[1]).toContain('如“2 2.5”');
    expect(step.state).toEqual(before.state);
  });

  it('takes an item changed in words: 第2项改为2.6, change item 2 to 2.6', () => {
    for (const edit of ['第2项改为2.6', 'change item 2 to 2.6']) {
      const step = stepDialogue(review().state, edit, ctx);
      expect(step.state, edit).toMatchObject({ phase: 'review' });
      expect(step.replies[0], edit).toContain('2. 工业技改投资 2.60 亿元');
    }
  });

  it('names the item count when the item number does not exist', () => {
    expect(stepDialogue(review().state, '5 2.5', ctx).replies[0]).toBe('没有第 5 项（共 3 项）。');
  });

  it('asks an item again when only its number is sent, then comes back to the summary', () => {
    const ask = stepDialogue(review().state, '2', ctx);
    expect(ask.replies).toEqual(['(2/3) 工业技改投资 1–11月累计（亿元）？已填 2.43，上月 2.05']);
    const back = stepDialogue(ask.state, '2.6', ctx);
    expect(back.state).toMatchObject({ phase: 'review' });
    expect(back.replies[0]).toContain('2. 工业技改投资 2.60 亿元');
  });

  it('does not take a bare figure for an edit, and asks for its item\'s number, the one its unit fits as the example', () => {
    const before = review();
    const step = stepDialogue(before.state, '2.5', ctx);
    expect(step.state).toEqual(before.state);
    expect(step.replies[0]).toBe('“2.5”是要修改哪一项？请在前面写上序号，例如“1 2.5”。');
    expect(stepDialogue(before.state, '4家', ctx).replies[0]).toBe('“4家”是要修改哪一项？请在前面写上序号，例如“3 4家”。');
    expect(stepDialogue(before.state, '好像不对', ctx).replies[0]).toBe('没看懂这条回复。');
  });

  it('has nothing to submit when everything was skipped, and ends the report, saying how to report later', () => {
    const skipped = after(ctx, start(ctx), '跳过', '跳过', '跳过');
    // In the summary an item can still be answered…
    expect(submitted(after(ctx, skipped, '1 19.6', '确认'))).toEqual([{ key: 'industrial_investment', value: '19.6' }]);
    // …but 确认 with nothing answered ends it: the summary again had nothing to confirm and no way on.
    const step = stepDialogue(skipped.state, '确认', ctx);
    expect(step.effects).toEqual([]);
    expect(step.state).toEqual({ kind: 'idle' });
    expect(step.replies).toEqual(['所有项目都跳过了，没有可提交的数据，本次报送已结束。有数字后发送 /report 再报，或直接发“指标 数值”。']);
  });

  it('取消 in the summary submits nothing', () => {
    const step = stepDialogue(review().state, '取消', ctx);
    expect(step).toMatchObject({ state: { kind: 'idle' }, effects: [] });
  });
});

describe('a correction', () => {
  const items = threeItems();
  items[0] = { ...items[0]!, current: { value: dec('19.6') } };
  items[2] = { ...items[2]!, current: { value: dec(3), note: '博昇乐' } };
  const ctx = context({ items });
  const open = () => startReport(ctx, { correction: true });

  it('asks every item and shows the stored figure', () => {
    const step = open();
    expect(step.replies).toEqual([
      '王股长您好！现在更正 2026年11月 数据，共 3 项。逐项回复正确的数字；不需要改的回复“跳过”。',
      '(1/3) 工业投资 1–11月累计（亿元）？当前 19.60，上月 18.20',
    ]);
  });

  it('shows skipped items as unchanged, asks why on 确认 and submits with the reason', () => {
    const review = after(ctx, open(), '19.8', '跳过', '跳过');
    expect(review.replies[0]).toBe(
      '请核对 2026年11月 更正内容：\n1. 工业投资 19.80 亿元（原 19.60 亿元）\n2. 工业技改投资 跳过\n3. 新增规上企业 不变（当前 3 家）',
    );
    const why = stepDialogue(review.state, '确认', ctx);
    expect(why.state).toMatchObject({ phase: 'reason' });
    expect(why.replies).toEqual(['请简要说明更正原因（一句话即可）。']);
    expect(why.effects).toEqual([]);
    expect(stepDialogue(why.state, '   ', ctx).replies).toEqual(['请简要说明更正原因（一句话即可）。']);
    // A question back, 确认 typed twice or a figure is no reason: explained, and asked again, nothing submitted.
    for (const notAReason of ['为什么要填原因', '什么原因？', '确认', '19.8']) {
      const again = stepDialogue(why.state, notAReason, ctx);
      expect(again.effects).toEqual([]);
      expect(again.state).toMatchObject({ phase: 'reason' });
      expect(again.replies[0]).toMatch(/^更正会记入数据的修订记录，原因供日后核对/);
    }
    const done = stepDialogue(why.state, '统计局反馈口径调整', ctx);
    expect(done.state).toEqual({ kind: 'idle' });
    expect(done.effects[0]).toMatchObject({ type: 'submit', correction: true, reason: '统计局反馈口径调整' });
    expect(submitted(done)).toEqual([{ key: 'industrial_investment', value: '19.8' }]);
    expect(done.replies).toEqual(['已更正 2026年11月 数据 1 项，更正原因已记录。']);
  });

  it('can still be cancelled while the reason is asked', () => {
    const why = after(ctx, open(), '19.8', '跳过', '跳过', '确认');
    expect(stepDialogue(why.state, '取消', ctx)).toMatchObject({ state: { kind: 'idle' }, effects: [] });
  });
});

describe('a one-shot report', () => {
  const ctx = context({ items: [{ indicator: sites5g, previous: { period: OCTOBER, value: dec(10) } }] });

  it('asks for confirmation in one sentence and submits the one figure on 确认', () => {
    const ask = startOneShot(ctx, 'sites_5g', '本月新增12个');
    expect(ask.state).toEqual({ kind: 'one_shot', period: { year: 2026, month: 11 }, key: 'sites_5g', value: '12', meaning: 'increment 个' });
    expect(ask.replies).toEqual(['5G基站建设 2026年11月 新增 12 个，确认提交？回复“确认”或“取消”']);
    const done = stepDialogue(ask.state, '确认', ctx);
    expect(done.state).toEqual({ kind: 'idle' });
    expect(done.effects[0]).toMatchObject({ type: 'submit', period: { year: 2026, month: 11 }, correction: false });
    expect(submitted(done)).toEqual([{ key: 'sites_5g', value: '12' }]);
    expect(done.replies).toEqual(['已提交 2026年11月 数据 1 项。']);
  });

  it('drops the figure on 取消 and, on anything else, says it is waiting and repeats the question', () => {
    const ask = startOneShot(ctx, 'sites_5g', '12个');
    expect(stepDialogue(ask.state, '取消', ctx)).toEqual({ state: { kind: 'idle' }, replies: ['已取消，未提交。'], effects: [] });
    const again = stepDialogue(ask.state, '嗯？', ctx);
    expect(again.state).toEqual(ask.state);
    expect(again.replies).toEqual(['上一条还在等您确认：', ...ask.replies]);
  });

  it('refuses a figure that fails the checks without opening a dialogue', () => {
    const step = startOneShot(ctx, 'sites_5g', '-12个');
    expect(step.state).toEqual({ kind: 'idle' });
    expect(step.replies).toEqual(['5G基站建设不能是负数（您填的是 -12 个），请重新填写。']);
  });

  it('puts the warning for a suspicious figure into the confirmation', () => {
    const ask = startOneShot(ctx, 'sites_5g', '45个');
    expect(ask.replies).toEqual([
      '请核对：5G基站建设 本次 45 个，是上月（10 个）的约 4.5 倍。\n5G基站建设 2026年11月 新增 45 个，确认提交？回复“确认”或“取消”',
    ]);
  });

  it('takes another figure for one already stored as its correction, which asks for a reason', () => {
    const stored = context({ items: [{ indicator: sites5g, current: { value: dec(12) } }] });
    const step = startOneShot(stored, 'sites_5g', '13个');
    expect(step.replies).toEqual([
      '5G基站建设 2026年11月 已报过（12 个），本条按更正处理。',
      '请核对 2026年11月 更正内容：\n1. 5G基站建设 13 个（原 12 个）',
      // A summary of one item: its example is that item's number.
      '回复“确认”提交；要改某一项，回复序号和新数字，如“1 2.5”；回复“取消”放弃本次填写。',
    ]);
    expect(step.state).toMatchObject({ kind: 'reporting', correction: true, keys: ['sites_5g'], phase: 'review', answers: { sites_5g: { value: '13' } } });
    expect(step.effects).toEqual([]);
    const reason = stepDialogue(step.state, '确认', stored);
    expect(reason.state).toMatchObject({ phase: 'reason' });
    const done = stepDialogue(reason.state, '上月漏报一个站', stored);
    expect(done.effects).toEqual([
      { type: 'submit', period: { year: 2026, month: 11 }, figures: [{ key: 'sites_5g', value: dec(13) }], reason: '上月漏报一个站', correction: true, late: false, skipped: 0 },
    ]);
    // The same figure again changes nothing, and says so.
    expect(startOneShot(stored, 'sites_5g', '12个')).toEqual({
      state: { kind: 'idle' },
      replies: ['5G基站建设 2026年11月 已经报过了（12 个）。如需更正，请发送 /report 2026-11。'],
      effects: [],
    });
  });
});

describe('the state is data', () => {
  const script = ['19.6亿', '跳过', '上一项', '0.23', '否', '2.43', '7家 博昇乐', '是', '2 2.5', '3 4', '确认'];

  it('continues identically after a JSON round trip between every message', () => {
    const ctx = context();
    let live: DialogueStep = start(ctx);
    let stored: DialogueState = JSON.parse(JSON.stringify(live.state)) as DialogueState;
    for (const text of script) {
      live = stepDialogue(live.state, text, ctx);
      const revived = stepDialogue(stored, text, ctx);
      expect(revived.replies).toEqual(live.replies);
      expect(revived.effects.map((e) => e.figures.map((f) => f.value.toFixed()))).toEqual(
        live.effects.map((e) => e.figures.map((f) => f.value.toFixed())),
      );
      expect(JSON.parse(JSON.stringify(revived.state))).toEqual(JSON.parse(JSON.stringify(live.state)));
      stored = JSON.parse(JSON.stringify(revived.state)) as DialogueState;
    }
    expect(submitted(live)).toEqual([
      { key: 'industrial_investment', value: '19.6' },
      { key: 'tech_upgrade_investment', value: '2.5' },
      { key: 'new_above_scale_firms', value: '4' },
    ]);
  });

  it('keeps values as exact decimal strings', () => {
    const ctx = context();
    const step = after(ctx, start(ctx), '196000万', '1,234,500,000元');
    expect(step.state).toMatchObject({ answers: { industrial_investment: { value: '19.6' } } });
    expect(step.state).toMatchObject({ pending: { value: '12.345' } });
  });

  it('shows the current question, the summary, the query or the confirmation again on return', () => {
    const ctx = context();
    const first = start(ctx);
    expect(currentPrompt(first.state, ctx)).toEqual(['(1/3) 工业投资 1–11月累计（亿元）？上月 18.20']);
    const query = after(ctx, first, '15');
    expect(currentPrompt(query.state, ctx)).toEqual(query.replies);
    const review = after(ctx, first, '19.6', '2.43', '3');
    expect(currentPrompt(review.state, ctx)).toEqual(review.replies);
    const oneShotCtx = context({ items: [{ indicator: sites5g }] });
    const oneShot = startOneShot(oneShotCtx, 'sites_5g', '12个');
    expect(currentPrompt(oneShot.state, oneShotCtx)).toEqual(oneShot.replies);
    expect(currentPrompt({ kind: 'idle' }, ctx)).toEqual([]);
  });
});

describe('indicators that disappear between messages', () => {
  it('drops a removed item that was already answered and carries on', () => {
    const ctx = context();
    const step = after(ctx, start(ctx), '19.6');
    const smaller = context({ items: threeItems().slice(1) });
    const next = stepDialogue(step.state, '2.43', smaller);
    expect(next.replies).toEqual(['您负责的指标有变动，已按最新名单继续。', '(2/2) 新增规上企业 11月新增（家）？上月 2']);
    const done = after(smaller, next, '3', '确认');
    expect(submitted(done).map((f) => f.key)).toEqual(['tech_upgrade_investment', 'new_above_scale_firms']);
  });

  it('does not apply an answer to the next question when the asked one vanished', () => {
    const ctx = context();
    const step = after(ctx, start(ctx), '19.6');
    const without = context({ items: threeItems().filter((i) => i.indicator.key !== 'tech_upgrade_investment') });
    const next = stepDialogue(step.state, '2.43', without);
    expect(next.replies).toEqual(['您负责的指标有变动，已按最新名单继续。', '(2/2) 新增规上企业 11月新增（家）？上月 2']);
    expect(next.state).toMatchObject({ keys: ['industrial_investment', 'new_above_scale_firms'], index: 1, answers: { industrial_investment: { value: '19.6' } } });
  });

  it('shows the renumbered summary instead of applying an edit to whatever item now has that number', () => {
    const ctx = context();
    const review = after(ctx, start(ctx), '19.6', '2.43', '3');
    const without = context({ items: threeItems().filter((i) => i.indicator.key !== 'industrial_investment') });
    const step = stepDialogue(review.state, '2 5', without);
    expect(step.replies[0]).toBe('您负责的指标有变动，已按最新名单继续。');
    expect(step.replies[1]).toBe('请核对 2026年11月 数据：\n1. 工业技改投资 2.43 亿元\n2. 新增规上企业 3 家');
    expect(step.state).toMatchObject({ phase: 'review', answers: { new_above_scale_firms: { value: '3' } } });
    expect(submitted(stepDialogue(step.state, '确认', without))).toHaveLength(2);
  });

  it('drops a pending query whose item vanished', () => {
    const ctx = context();
    const query = after(ctx, start(ctx), '19.6', '2.43', '3', '2 1.8');
    const without = context({ items: threeItems().filter((i) => i.indicator.key !== 'tech_upgrade_investment') });
    const next = stepDialogue(query.state, '是', without);
    expect(next.state).toMatchObject({ phase: 'review', keys: ['industrial_investment', 'new_above_scale_firms'] });
    expect(next.state).not.toHaveProperty('pending');
    expect(currentPrompt(query.state, without)[0]).toContain('2. 新增规上企业 3 家');
  });

  it('ends the dialogue when nothing is left, and a one-shot whose indicator went', () => {
    const ctx = context();
    const step = after(ctx, start(ctx), '19.6');
    const empty = context({ items: [] });
    expect(stepDialogue(step.state, '2.43', empty)).toEqual({
      state: { kind: 'idle' },
      replies: ['您负责的指标有变动，本次已没有需要填写的项目，未提交任何数据。发送 /report 可重新开始。'],
      effects: [],
    });
    const oneShot = startOneShot(context({ items: [{ indicator: sites5g }] }), 'sites_5g', '12个');
    expect(stepDialogue(oneShot.state, '确认', empty)).toMatchObject({ state: { kind: 'idle' }, effects: [] });
    expect(currentPrompt(step.state, empty)).toHaveLength(1);
  });
});

describe('in English', () => {
  const ctx = context({ locale: 'en' });

  it('opens, asks, summarises and submits in English', () => {
    const steps = conversation(ctx, start(ctx), '19.6', '2.43', '3 Bosheng', 'confirm');
    expect(steps[0]!.replies).toEqual([
      'Hello Mr Wang! Please report the figures for November 2026 (deadline 30 November): 3 items. Just reply with the number; a unit is fine.',
      '(1/3) Industrial investment, Jan–November cumulative (hundred million yuan)? (last month: 1.82 billion yuan)',
    ]);
    expect(steps[3]!.replies[0]).toBe(
      'Please check the figures for November 2026:\n1. Industrial investment: 1.96 billion yuan\n2. Tech-upgrade investment: 243 million yuan\n3. New above-scale firms: 3 firms (note: Bosheng)',
    );
    expect(steps[4]!.replies).toEqual(['Submitted 3 figures for November 2026.']);
  });

  it('explains refusals and queries in English and takes yes/no', () => {
    const query = after(ctx, start(ctx), 'lots', '15');
    expect(query.replies[0]).toBe(
      'Please check: Industrial investment is a year-to-date total and rarely falls, but 1.5 billion yuan is less than last month (1.82 billion yuan).',
    );
    expect(stepDialogue(query.state, 'no', ctx).replies).toEqual(['(1/3) Industrial investment, Jan–November cumulative (hundred million yuan)? (last month: 1.82 billion yuan)']);
    expect(stepDialogue(query.state, 'yes', ctx).state).toMatchObject({ index: 1, answers: { industrial_investment: { value: '15' } } });
    expect(stepDialogue(start(ctx).state, 'lots', ctx).replies[0]).toBe(
      'I found no number in “lots”. Reply with a number (a unit is fine, e.g. 196 million or 3 firms), or “skip”, “back” or “cancel”.',
    );
  });

  it('confirms a one-shot figure in English', () => {
    const en = context({ locale: 'en', items: [{ indicator: sites5g }] });
    expect(startOneShot(en, 'sites_5g', '12').replies).toEqual([
      '5G base stations, November 2026: 12 units added. Submit? Reply “confirm” or “cancel”.',
    ]);
  });
});
