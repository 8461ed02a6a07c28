import { civilDateInZone } from '../../core/calendar.js';
import { currentPrompt, startOneShot, startReport, stepDialogue } from '../../core/dialogue/engine.js';
import { clip } from '../../core/dialogue/format.js';
import { notOwedNotice, oneShotQuestion, queueOneShot } from '../../core/dialogue/one-shot.js';
import { submittedLine } from '../../core/dialogue/review.js';
import type { DialogueContext, DialogueEffect, DialogueState, DialogueStep, QueuedOneShot } from '../../core/dialogue/types.js';
import { controlWord, isWord } from '../../core/dialogue/words.js';
import { isAnswered } from '../../core/dialogue/state.js';
import { IDLE } from '../../core/dialogue/types.js';
import { isNumeralStart } from '../../core/chinese-numerals.js';
import type { Intent } from '../../core/intents.js';
import { type Period, comparePeriods, formatPeriod } from '../../core/period.js';
import { currentPeriod, windowOpensOn } from '../../core/schedule.js';
import { toDecimal } from '../../db/org-repository.js';
import { sqlOf } from '../../db/sql.js';
import { formatFigure } from '../../core/progress.js';
import { dayLabel, indicatorName, periodLabel, renderFigure, sectionName } from '../../core/render.js';
import { clearResolvedMarks } from '../queried-marks.js';
import { recordFigure, recordFirstFigures } from '../record-figure.js';
import type { FiguresAndTargets } from '../figures.js';
import type { ConversationState } from './conversation.js';
import { answerRetired, namesRetiredOnly } from './retired-answers.js';
import { type ReadAhead, dialogueContext } from './dialogue-context.js';
import { isReporter } from '../../core/domain.js';
import { answerDashboard } from './dashboard-answer.js';
import {
  type AnswerContext,
  type Reply,
  answerAmbiguous,
  answerAnnualDraft,
  answerBulletin,
  answerChart,
  answerExport,
  answerHelp,
  answerMissing,
  answerProgress,
  visibleIndicators,
} from './questions.js';
import { answerAhead, answerBehind, answerCompare, answerOverview, answerRemaining, answerSocial, answerTarget, answerWhy } from './director-answers.js';
import { nudgeFromChat } from '../nudge.js';
import { answerRevisions } from './revision-answers.js';
import { answerDetails } from './detail-answers.js';

// Mid-report, a numbered choice list would take the next answer for a choice: an unclear question is left
// to the dialogue, which asks for the figure again.
const QUESTIONS_MID_REPORT = new Set<Intent['kind']>(['progress', 'overview', 'missing', 'export', 'help', 'revisions']);
// These are questions mid-report only when they name an indicator: a bare 比上月少了 or 偏低 is a remark on the figure.
const ABOUT_NAMED_MID_REPORT = new Set<Intent['kind']>(['compare', 'target', 'remaining', 'why', 'details']);

function asksMidReport(intent: Intent): boolean {
  if (QUESTIONS_MID_REPORT.has(intent.kind)) return true;
  return ABOUT_NAMED_MID_REPORT.has(intent.kind) && 'indicators' in intent && (intent.indicators?.length ?? 0) > 0;
}

/**
 * Whether a message starts as a figure does (19.6亿, 三家, ２.５): then it is an answer, whatever its note
 * names. A year or a month (2020年…, 9月…) starts a question instead.
 */
function startsWithNumber(text: string): boolean {
  const rest = text.trim().normalize('NFKC').replace(/^[约大概共计合累为是新增本月:：\s+-]+/, '');
  if (/^[0-9零〇一二两三四五六七八九十]+\s*[年月]/.test(rest)) return false;
  return isNumeralStart(rest[0]);
}

export interface Turn {
  state: ConversationState;
  replies: Reply[];
  /** Outbox rows for other people (a 催报), to be swept at their channel's pace once the turn commits. */
  queued?: bigint[];
}

/**
 * One message of a bound member, inside the transaction that holds their conversation: a reporting
 * dialogue goes on where it was (a question asked in between is answered, then the dialogue's question
 * repeated); otherwise the message is understood as a question or a command.
 */
export async function converse(ctx: AnswerContext, state: ConversationState, text: string, channel: string): Promise<Turn> {
  const organisation = ctx.org.organisation();
  const today = civilDateInZone(ctx.now(), organisation.timezone);
  const schedule = ctx.org.schedule(ctx.member.sectionKey);
  const current = currentPeriod(ctx.now(), organisation.timezone, schedule);
  // Naming only an indicator the file dropped, the text is not taken for an active one it resembles.
  const intent: Intent = namesRetiredOnly(ctx, text) ? { kind: 'unknown' } : ctx.org.matcher().classify(text, { year: today.year, month: today.month });

  // The figures read ahead serve only the turn's first reading, before anything is written.
  const contextFor = async (period: Period, readAhead?: ReadAhead) => ({
    ...(await dialogueContext(ctx.tx, ctx.member, period, ctx.t, ctx.indicators, ctx.org.schedule(ctx.member.sectionKey), organisation.checks, readAhead, ctx.org.target)),
    today,
  });

  if (state.dialogue.kind !== 'idle') {
    const period = state.dialogue.period;
    const dialogueCtx = await contextFor(period, ctx.readAhead);
    // Another one-line report while one waits for 确认: kept, and asked about once this one is settled.
    if (state.dialogue.kind === 'one_shot' && intent.kind === 'one_shot' && !isWord(text, 'confirm')) {
      const next = { period: intent.period ?? current, key: intent.indicator, text: intent.text };
      const pending = state.dialogue;
      if (next.key !== pending.key || comparePeriods(next.period, pending.period) !== 0) {
        const step = queueOneShot(pending, next, text, dialogueCtx);
        return { state: { dialogue: step.state }, replies: step.replies };
      }
      // The same indicator and month again is a new figure for the pending one; one refused leaves it pending.
      const step = startOneShot(dialogueCtx, next.key, next.text, pending.queued);
      if (step.state.kind !== 'idle') return { state: { dialogue: step.state }, replies: step.replies };
      return { state: { dialogue: pending }, replies: [...step.replies, ...oneShotQuestion(pending, dialogueCtx)] };
    }
    // A correction's reason is free text: 漏报了一个技改项目 is the reason, not a question about 技改.
    const freeText = state.dialogue.kind === 'reporting' && state.dialogue.phase === 'reason';
    // A one-line report (the indicator first, then its figure) of another indicator mid-report is not taken
    // for the answer asked: said so, and asked again. A figure whose note names an indicator is no one-shot.
    if (state.dialogue.kind === 'reporting' && !freeText && intent.kind === 'one_shot') {
      const reporting = state.dialogue;
      // In the summary, a one-line report of one of its items (of its month) is that item's edit: `2 2家 …`.
      const item = reporting.keys.indexOf(intent.indicator);
      const sameMonth = intent.period === undefined || comparePeriods(intent.period, reporting.period) === 0;
      if (reporting.phase === 'review' && item >= 0 && sameMonth) {
        const step = stepDialogue(reporting, `${item + 1} ${intent.text}`, dialogueCtx);
        return finishStep(ctx, { ...state, dialogue: step.state }, step, channel);
      }
      const asked = reporting.phase === 'asking' ? reporting.keys[reporting.index] : undefined;
      if (intent.indicator !== asked) {
        const key = reporting.phase === 'review' ? 'checks.oneshot_mid_review' : 'checks.oneshot_mid_report';
        // One not owed this month (a quarterly one between quarters) is never taken: said why, not "finish first".
        const notOwed = sameMonth ? notOwedNotice(dialogueCtx, intent.indicator) : undefined;
        const notice = notOwed ?? ctx.t(key, { text: clip(text), period: periodLabel(ctx.t, period) });
        return { state: { dialogue: state.dialogue }, replies: [notice, ...currentPrompt(state.dialogue, dialogueCtx)] };
      }
      // `5G站点 10个` while 5G is asked: the figure is the answer.
      const step = stepDialogue(state.dialogue, intent.text, dialogueCtx);
      return finishStep(ctx, { ...state, dialogue: step.state }, step, channel);
    }
    const asks = !freeText && !startsWithNumber(text) && (asksMidReport(intent) || intent.kind === 'report');
    if (asks) {
      const elsewhere = intent.kind === 'report' && intent.period !== undefined && comparePeriods(intent.period, period) !== 0;
      const answer =
        intent.kind === 'report'
          ? { replies: elsewhere ? [ctx.t('chat.finish_current_first', { period: periodLabel(ctx.t, period) })] : [] }
          : await answerIntent(ctx, intent, current, state);
      return { state: { dialogue: state.dialogue }, replies: [...answer.replies, ...currentPrompt(state.dialogue, dialogueCtx)] };
    }
    const repeated = repeatedAnswer(ctx, state, text);
    if (repeated) return { state: { dialogue: state.dialogue }, replies: [repeated, ...currentPrompt(state.dialogue, dialogueCtx)] };
    const step = stepDialogue(state.dialogue, text, dialogueCtx);
    const { answered: _before, ...rest } = state;
    const answered = answeredBy(state.dialogue, step.state, text, ctx.now());
    const turn = await finishStep(ctx, { ...rest, dialogue: step.state, ...(answered && { answered }) }, step, channel);
    const queued = state.dialogue.kind === 'one_shot' ? (state.dialogue.queued ?? []) : [];
    if (step.state.kind !== 'idle' || queued.length === 0) return turn;
    return nextQueued(ctx, turn, queued, current, contextFor, channel);
  }

  const choice = state.choice;
  const picked = choice ? Number(text.trim()) : NaN;
  if (choice && Number.isInteger(picked) && picked >= 1 && picked <= choice.candidates.length) {
    const key = choice.candidates[picked - 1]!;
    return { state: { dialogue: IDLE }, replies: await answerProgress(ctx, [key], choice) };
  }
  // The choice answered by name instead of number (工业技改投资): the period the question asked stays.
  const named = intent.kind === 'progress' && intent.year === undefined && intent.month === undefined ? intent.indicators : [];
  if (choice && named.length > 0 && named.every((key) => choice.candidates.includes(key))) {
    return { state: { dialogue: IDLE }, replies: await answerProgress(ctx, named, choice) };
  }

  // 确认, 跳过, 取消 … with no report open: said so, not answered as a question.
  const word = controlWord(text);
  if (word !== undefined) {
    return { state: { dialogue: IDLE }, replies: [ctx.t(word === 'cancel' ? 'checks.no_dialogue_cancel' : 'checks.no_dialogue')] };
  }

  if (intent.kind === 'report' || intent.kind === 'one_shot') {
    if (!isReporter(ctx.member)) {
      // A director's one-line report: whose figure it is, said (they may mean to pass it on, or to ask).
      const indicator = intent.kind === 'one_shot' ? ctx.org.indicator(intent.indicator) : undefined;
      const reply = indicator
        ? ctx.t('chat.not_a_reporter_named', { name: indicatorName(indicator, ctx.member.locale), section: sectionName(indicator.section, ctx.member.locale) })
        : ctx.t('chat.not_a_reporter');
      return { state: { dialogue: IDLE }, replies: [reply] };
    }
    const period = intent.period ?? current;
    if (comparePeriods(period, current) > 0) {
      return { state: { dialogue: IDLE }, replies: [notOpenYet(ctx, period)] };
    }
    const dialogueCtx = await contextFor(period, ctx.readAhead);
    if (intent.kind === 'one_shot') {
      // One not owed yet for the period (its `from` is later) is the member's: startOneShot says from when.
      const ownIndicator = (indicator: { key: string }) => indicator.key === intent.indicator;
      // Another section's: whose it is, said (the member may have meant their own, or a colleague owes it).
      const other = ctx.org.indicator(intent.indicator);
      if (other && !dialogueCtx.items.some((item) => ownIndicator(item.indicator)) && !dialogueCtx.notOwed?.some(ownIndicator)) {
        const named = { name: indicatorName(other, ctx.member.locale), section: sectionName(other.section, ctx.member.locale) };
        return { state: { dialogue: IDLE }, replies: [ctx.t('chat.not_your_indicator', named)] };
      }
      const step = startOneShot(dialogueCtx, intent.indicator, intent.text);
      return finishStep(ctx, { dialogue: step.state }, step, channel);
    }
    // A month named, past or current, or a report said as a correction (更正), is a correction once all of it
    // is in; before that, a past month's report files what is missing (补报), as the current month's does.
    const complete = dialogueCtx.items.length > 0 && dialogueCtx.items.every((item) => item.current !== undefined);
    const past = comparePeriods(period, current) < 0;
    const late = past && !complete;
    const correction = complete && (past || intent.period !== undefined || intent.correcting === true);
    const step = startReport(dialogueCtx, { correction, late });
    return finishStep(ctx, { dialogue: step.state }, step, channel);
  }
  // Nothing active answers it: an indicator the organisation file has dropped may (its history is kept).
  const retired = intent.kind === 'unknown' ? await answerRetired(ctx, text, today) : undefined;
  if (retired) return { state: { dialogue: state.dialogue }, replies: retired };
  return answerIntent(ctx, intent, current, state);
}

// A message sent twice (a double tap, a resend on a weak network) arrives as two messages with ids of their
// own. The second, the same answer within this time of the first, is not taken for the next question's
// answer: nobody reads the next question and types the same figure back this fast.
const REPEAT_WITHIN_MS = 2_000;

/**
 * The same text as the message just taken, moments later: said, not taken — an answer again while the next
 * question (or the summary) is shown, or a summary's item number again while that item is asked.
 */
function repeatedAnswer(ctx: AnswerContext, state: ConversationState, text: string): string | undefined {
  const { answered, dialogue } = state;
  if (!answered || dialogue.kind !== 'reporting' || (dialogue.phase !== 'asking' && dialogue.phase !== 'review')) return undefined;
  const elapsed = ctx.now().getTime() - Date.parse(answered.at);
  if (!(elapsed >= 0 && elapsed <= REPEAT_WITHIN_MS) || sameText(text) !== answered.text) return undefined;
  const indicator = ctx.org.indicator(answered.key);
  const params = { text: clip(text), name: indicator ? indicatorName(indicator, ctx.member.locale) : answered.key };
  if (answered.pick) return ctx.t('checks.repeated_pick', params);
  return ctx.t(dialogue.phase === 'review' ? 'checks.repeated_answer_review' : 'checks.repeated_answer', params);
}

/**
 * What a message did that the same text again moments later would do twice, kept for `repeatedAnswer`: a
 * figure taken for the question asked (the next question, or the summary, shown), or an item of the
 * summary opened by its number. 跳过 twice is two questions skipped: not kept.
 */
function answeredBy(before: DialogueState, after: DialogueState, text: string, at: Date): ConversationState['answered'] {
  if (before.kind !== 'reporting' || after.kind !== 'reporting' || controlWord(text) !== undefined) return undefined;
  const kept = (key: string | undefined, pick?: true) => (key === undefined ? undefined : { key, text: sameText(text), at: at.toISOString(), ...(pick && { pick }) });
  if (before.phase === 'review') {
    // `3` opened item 3: the answers as they were, that item asked.
    const opened = after.phase === 'asking' && after.editing === true && JSON.stringify(after.answers) === JSON.stringify(before.answers);
    return opened ? kept(after.keys[after.index], true) : undefined;
  }
  if (before.phase !== 'asking' || (after.phase !== 'asking' && after.phase !== 'review')) return undefined;
  const key = before.keys[before.index];
  const moved = after.phase === 'review' || after.index !== before.index;
  if (key === undefined || !moved || after.keys[before.index] !== key || !isAnswered(after.answers[key])) return undefined;
  return kept(key);
}

const sameText = (text: string) => text.normalize('NFKC').replace(/\s+/g, '');

/**
 * After a one-line report is settled, the next one kept meanwhile is asked about (each checked against its
 * own month); one that cannot be taken says why and the next follows.
 */
async function nextQueued(
  ctx: AnswerContext,
  turn: Turn,
  queued: QueuedOneShot[],
  current: Period,
  contextFor: (period: Period) => Promise<DialogueContext>,
  channel: string,
): Promise<Turn> {
  const replies = [...turn.replies];
  let rest = queued;
  while (rest.length > 0) {
    const [next, ...after] = rest as [QueuedOneShot, ...QueuedOneShot[]];
    rest = after;
    if (comparePeriods(next.period, current) > 0) {
      replies.push(notOpenYet(ctx, next.period));
      continue;
    }
    const step = startOneShot(await contextFor(next.period), next.key, next.text, rest);
    const started = await finishStep(ctx, { dialogue: step.state }, step, channel);
    replies.push(...started.replies);
    if (step.state.kind !== 'idle') return { state: started.state, replies };
  }
  return { state: { dialogue: IDLE }, replies };
}

/** A month whose reporting has not begun: when it does (2027年1月 on 6 January: from 1月20日). */
function notOpenYet(ctx: AnswerContext, period: Period): string {
  const opens = windowOpensOn(period, ctx.org.schedule(ctx.member.sectionKey));
  return ctx.t('chat.future_period', { period: periodLabel(ctx.t, period), opens: dayLabel(ctx.t, opens) });
}

async function answerIntent(ctx: AnswerContext, intent: Intent, current: Period, state: ConversationState): Promise<Turn> {
  const idle: ConversationState = { dialogue: state.dialogue };
  switch (intent.kind) {
    case 'progress':
      return { state: idle, replies: await answerProgress(ctx, intent.indicators, intent) };
    case 'ambiguous': {
      // Another section's indicators are not offered, not even by name.
      const visible = new Set(visibleIndicators(ctx).map((indicator) => indicator.key));
      const candidates = intent.candidates.filter((key) => visible.has(key));
      if (candidates.length < 2) return { state: idle, replies: await answerProgress(ctx, candidates, intent) };
      return {
        state: { ...idle, choice: { candidates, year: intent.year, month: intent.month } },
        replies: await answerAmbiguous(ctx, candidates),
      };
    }
    case 'overview':
      return { state: idle, replies: await answerOverview(ctx, intent) };
    case 'ahead':
      return { state: idle, replies: await answerAhead(ctx, intent) };
    case 'behind':
      return { state: idle, replies: await answerBehind(ctx, intent) };
    case 'compare':
      return { state: idle, replies: await answerCompare(ctx, intent.indicators, intent) };
    case 'target':
      return { state: idle, replies: await answerTarget(ctx, intent.indicators, intent) };
    case 'why':
      return { state: idle, replies: await answerWhy(ctx, intent.indicators, intent) };
    case 'remaining':
      return { state: idle, replies: await answerRemaining(ctx, intent.indicators, intent) };
    case 'social':
      return { state: idle, replies: answerSocial(ctx, intent.tone) };
    case 'revisions':
      return { state: idle, replies: await answerRevisions(ctx, intent.indicators, intent) };
    case 'details':
      return { state: idle, replies: await answerDetails(ctx, intent.indicators, intent) };
    case 'nudge': {
      const request = { director: ctx.member, text: intent.text, indicators: intent.indicators, period: intent.period };
      const outcome = await nudgeFromChat(ctx.tx, ctx.org, request, ctx.now(), ctx.t);
      return { state: idle, replies: outcome.replies, queued: outcome.queued };
    }
    case 'missing':
      return { state: idle, replies: await answerMissing(ctx, intent.period ?? current, { ...intent, periodNamed: intent.period !== undefined }) };
    case 'export':
      return { state: idle, replies: await answerExport(ctx, intent.year, intent.format) };
    case 'bulletin':
      return { state: idle, replies: await answerBulletin(ctx, intent.period) };
    case 'annual_draft':
      return { state: idle, replies: await answerAnnualDraft(ctx, intent.year) };
    case 'chart':
      return { state: idle, replies: await answerChart(ctx, intent) };
    case 'bind':
      return { state: idle, replies: [ctx.t('chat.already_bound', { name: ctx.member.name })] };
    case 'help':
      return { state: idle, replies: await answerHelp(ctx, false) };
    case 'dashboard':
      return { state: idle, replies: await answerDashboard(ctx) };
    default:
      return { state: idle, replies: await answerHelp(ctx, true) };
  }
}

/**
 * Runs a dialogue step's effects once, in the message's transaction, and adds the completion lines. The
 * dialogue's closing line counts every figure; where some could not be stored it says how many were.
 */
async function finishStep(ctx: AnswerContext, state: ConversationState, step: DialogueStep, channel: string): Promise<Turn> {
  const replies: Reply[] = [...step.replies];
  for (const effect of step.effects) {
    const { count, lines } = await submit(ctx, effect, channel);
    if (count < effect.figures.length) {
      const said = replies.indexOf(submittedLine(ctx.t, effect, effect.figures.length));
      if (said >= 0) replies.splice(said, 1, ...(count > 0 ? [submittedLine(ctx.t, effect, count)] : []));
    }
    replies.push(...lines);
  }
  return { state, replies };
}

type Known = { figure: DialogueEffect['figures'][number]; indicator: AnswerContext['indicators'][number] };
type Stored = { stored: Known['figure'][]; notices: string[]; read?: FiguresAndTargets };

/** Stores a submission's figures; `count` of them were stored, `lines` say what became of them. */
async function submit(ctx: AnswerContext, effect: DialogueEffect, channel: string): Promise<{ count: number; lines: string[] }> {
  const known = effect.figures.flatMap((figure): Known[] => {
    const indicator = ctx.org.indicator(figure.key);
    return indicator ? [{ figure, indicator }] : [];
  });
  const { stored, notices, read } = await (effect.correction ? storeCorrection : storeFirst)(ctx, effect, known, channel);
  if (stored.length === 0) return { count: 0, lines: notices };
  const keys = stored.map((figure) => figure.key);
  const progress = await answerProgress(ctx, keys, { year: effect.period.year, month: effect.period.month }, false, read);
  return { count: stored.length, lines: [...notices, ...progress] };
}

/**
 * A report's figures, where none is in yet. A report opened earlier must not silently replace what a
 * colleague has stored since: only a correction, which asks why, changes a figure that is in. One
 * statement, its audit row and the closing lines' figures and targets included.
 */
async function storeFirst(ctx: AnswerContext, effect: DialogueEffect, known: Known[], channel: string): Promise<Stored> {
  const { outcomes, after } = await (ctx.recordFirst ?? ((input) => recordFirstFigures(ctx.tx, input)))({
    period: effect.period,
    figures: known.map(({ figure, indicator }) => ({ indicatorId: indicator.id, key: figure.key, value: figure.value, note: figure.note, queried: figure.queried })),
    memberId: ctx.member.id,
    channel,
    reason: effect.reason,
    at: ctx.now(),
    audit: { actor: ctx.member.key, action: 'figures.submit' },
  });
  const result: Stored = { stored: [], notices: [], read: after };
  known.forEach(({ figure, indicator }, index) => {
    const outcome = outcomes[index];
    if (outcome?.stored) result.stored.push(figure);
    else if (outcome) {
      result.notices.push(
        ctx.t('chat.stored_meanwhile', {
          name: indicatorName(indicator, ctx.member.locale),
          value: renderFigure(ctx.t, formatFigure(toDecimal(outcome.value), indicator.decimals), indicator),
          period: formatPeriod(effect.period),
        }),
      );
    }
  });
  return result;
}

/** A correction's figures, each a new revision with the reason, then its audit row. */
async function storeCorrection(ctx: AnswerContext, effect: DialogueEffect, known: Known[], channel: string): Promise<Stored> {
  const at = ctx.now();
  for (const { figure, indicator } of known) {
    await recordFigure(ctx.tx, {
      indicatorId: indicator.id,
      period: effect.period,
      value: figure.value,
      memberId: ctx.member.id,
      channel,
      note: figure.note,
      reason: effect.reason,
      queried: figure.queried === true,
      at,
    });
  }
  const stored = known.map(({ figure }) => figure);
  if (stored.length > 0) {
    // A corrected figure may clear the marks of the figures it had made look wrong.
    const unmarked = await clearResolvedMarks(
      ctx.tx,
      known.map(({ indicator }) => ({ indicatorKey: indicator.key, period: effect.period })),
      { indicators: ctx.indicators, checks: ctx.org.organisation().checks },
      ctx.member.locale,
    );
    const details = {
      channel,
      figures: stored.map((figure) => ({ key: figure.key, value: figure.value.toFixed() })),
      reason: effect.reason ?? null,
      ...(unmarked.length > 0 ? { unmarked: unmarked.map((figure) => ({ key: figure.indicatorKey, period: formatPeriod(figure.period) })) } : {}),
    };
    await sqlOf(ctx.tx).query(
      'INSERT INTO audit_log (at, actor, action, subject, details) VALUES ($1::timestamptz, $2, $3, $4, $5::jsonb)',
      [at, ctx.member.key, 'figures.correct', formatPeriod(effect.period), JSON.stringify(details)],
    );
  }
  return { stored, notices: [] };
}
