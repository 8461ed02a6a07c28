import { Decimal } from '../decimal.js';
import { type Period, formatPeriod } from '../period.js';
import { nameOf, noteText, previousLabel, questionFigure, showFigure, spanText, unitLabel, usablePrevious } from './format.js';
import { compareCivilDates } from '../calendar.js';
import { dayLabel, periodLabel, queriedMark } from '../render.js';
import { isAnswered } from './state.js';
import type { DialogueContext, DialogueItem, ReportingState } from './types.js';
import { warningFor } from './validate.js';

/** 王股长您好！请报送 2026年11月 数据（截止 11月30日），共 3 项。… (`done` items were reported before). */
export function openingLine(ctx: DialogueContext, correction: boolean, count: number, done: number): string {
  const { t, deadline } = ctx;
  const params = { name: ctx.greetingName, period: periodLabel(t, ctx.period), count, done, deadline: '' };
  if (correction) return t('dialogue.opening_correction', params);
  if (deadline) {
    const passed = ctx.today !== undefined && compareCivilDates(deadline, ctx.today) < 0;
    params.deadline = t(passed ? 'dialogue.deadline_passed' : 'dialogue.deadline', { date: dayLabel(t, deadline) });
  }
  return done > 0 ? t('dialogue.opening_remaining', params) : t('dialogue.opening', params);
}

/** (1/3) 工业投资 1–11月累计（亿元）？上月 18.20 — with 当前 in a correction and 已填 after going back. */
export function questionLine(ctx: DialogueContext, state: ReportingState, items: DialogueItem[], index: number): string {
  const { t } = ctx;
  const item = items[index];
  if (!item) return '';
  const { indicator } = item;
  const extras: string[] = [];
  const answer = state.answers[indicator.key];
  if (isAnswered(answer)) extras.push(t('dialogue.extra_answered', { value: questionFigure(t, indicator, new Decimal(answer.value)) }));
  if (state.correction && item.current) extras.push(t('dialogue.extra_current', { value: questionFigure(t, indicator, item.current.value) }));
  const previous = usablePrevious(item, state.period);
  if (previous) {
    const when = previousLabel(t, previous.period, state.period);
    // A figure marked 待核实 says so: the reporter may be the one to put it right.
    const value = `${questionFigure(t, indicator, previous.value)}${queriedMark(t, previous.queried)}`;
    extras.push(t('dialogue.extra_previous', { when, value }));
  }
  return t('dialogue.question', {
    index: index + 1,
    total: items.length,
    name: nameOf(ctx, indicator),
    span: spanText(t, indicator, state.period.month),
    unit: unitLabel(t, indicator),
    extra: extras.length === 0 ? '' : t('dialogue.extras', { extras: extras.join(t('dialogue.extra_separator')) }),
  });
}

/** The numbered summary and what to reply to it. */
export function reviewPrompt(ctx: DialogueContext, state: ReportingState, items: DialogueItem[]): string[] {
  const { t } = ctx;
  const header = state.correction ? 'dialogue.review_header_correction' : state.late ? 'checks.review_header_late' : 'dialogue.review_header';
  const lines = items.map((item, i) => {
    const name = nameOf(ctx, item.indicator);
    const answer = state.answers[item.indicator.key];
    const index = i + 1;
    if (isAnswered(answer)) {
      // A figure kept despite a query says so before 确认: it goes in marked for the directors.
      const value = new Decimal(answer.value);
      const figure = `${showFigure(t, item.indicator, value)}${queriedMark(t, answer.queried)}`;
      // A correction shows what it replaces: 19.80 亿元（原 19.60 亿元）.
      if (state.correction && item.current && !item.current.value.equals(value)) {
        const before = showFigure(t, item.indicator, item.current.value);
        return t('dialogue.review_line_changed', { index, name, figure, before, note: noteText(t, answer.note) });
      }
      return t('dialogue.review_line', { index, name, figure, note: noteText(t, answer.note) });
    }
    if (state.correction && item.current) {
      return t('dialogue.review_unchanged', { index, name, figure: showFigure(t, item.indicator, item.current.value) });
    }
    return t('dialogue.review_skipped', { index, name });
  });
  return [[t(header, { period: periodLabel(t, state.period) }), ...lines].join('\n'), reviewInstruction(ctx, items.length)];
}

/** 回复“确认”提交；…, its example an item the summary has (`1 2.5` in a summary of one). */
export function reviewInstruction(ctx: DialogueContext, count: number): string {
  return ctx.t('dialogue.review_instruction', { example: `${Math.min(2, Math.max(1, count))} 2.5` });
}

/** The warning about a pending figure and how to answer it. */
export function suspiciousPrompt(ctx: DialogueContext, state: ReportingState, item: DialogueItem, value: Decimal): string[] {
  const { t } = ctx;
  const warning =
    warningFor(ctx, item, value, state.period, state.answers) ??
    t('dialogue.warn_generic', { name: nameOf(ctx, item.indicator), value: showFigure(t, item.indicator, value) });
  return [warning, t('dialogue.confirm_suspicious')];
}

/** 5G基站建设 2026年11月 新增 12 个，确认提交？回复“确认”或“取消” — preceded by a warning when it looks wrong. */
export function oneShotPrompt(ctx: DialogueContext, period: Period, item: DialogueItem, value: Decimal, note?: string): string {
  const { t } = ctx;
  const { indicator } = item;
  const confirm = t(`dialogue.oneshot_${indicator.kind}`, {
    name: nameOf(ctx, indicator),
    period: periodLabel(t, period),
    // A year-to-date total says its span, as the questions do (2026年1–11月累计).
    year: period.year,
    span: spanText(t, indicator, period.month),
    figure: showFigure(t, indicator, value),
    note: noteText(t, note),
  });
  const warning = warningFor(ctx, item, value, period);
  return warning === undefined ? confirm : `${warning}\n${confirm}`;
}

/** 如需更正，请发送 /report 2026-11 — the command is the same in every language. */
export function correctionHint(ctx: DialogueContext, period: Period): string {
  return ctx.t('dialogue.correction_hint', { command: `/report ${formatPeriod(period)}` });
}
