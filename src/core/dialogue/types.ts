import type { CivilDate } from '../calendar.js';
import type { Decimal } from '../decimal.js';
import type { IndicatorDef, Locale } from '../domain.js';
import type { Translate } from '../i18n.js';
import type { Period } from '../period.js';
import type { RelationOp } from '../org/checks.js';

/** One indicator the member reports, with the figures the questions and checks need. */
export interface DialogueItem {
  indicator: IndicatorDef;
  /** The figure of the period before (for 上月 and the checks); for cumulative indicators only if in the same year. */
  previous?: StoredMonth;
  /** The figure already stored for the period being reported (a correction shows it, normal reporting skips it). */
  current?: { value: Decimal; note?: string };
  /** The stored figures of the other months of the period's year, for the whole-year checks. */
  year?: StoredMonth[];
  /**
   * A cumulative indicator's January: last December's figure, the whole of last year. A January total that
   * reaches it has most likely carried last year's over, instead of starting again.
   */
  yearBefore?: StoredMonth;
  /**
   * The annual target (目标任务) of the period's year, when one is set: a figure far above it is most likely
   * a unit mistaken (196 亿元 typed for 1.96), which no earlier month may be there to show in a bureau's first.
   */
  target?: Decimal;
}

/** A stored figure of another month; `queried` when marked 待核实, which the checks then set aside. */
export interface StoredMonth {
  period: Period;
  value: Decimal;
  queried?: true;
}

/** A relation the organisation file declares between two indicators of the same period (`checks:`). */
export interface DialogueRelation {
  left: IndicatorDef;
  op: RelationOp;
  right: IndicatorDef;
  message?: string;
}

/** Everything a step reads besides the state; rebuilt by the caller for every message. */
export interface DialogueContext {
  /** The period being reported. */
  period: Period;
  /** Shown in the opening line. */
  deadline?: CivilDate;
  /** The day the turn runs, in the organisation's zone: a deadline before it is said to have passed. */
  today?: CivilDate;
  /** The member's indicators owed for the period (`isOwed`), in the organisation file's order. */
  items: DialogueItem[];
  /** The member's indicators not owed yet for the period: their `from` (报送起始月) is later. */
  notOwed?: IndicatorDef[];
  /**
   * The period before, when some of the member's indicators owed for it have no figure: with this period all
   * reported, `/report` names it (the reminders and the directors still chase it).
   */
  earlierMissing?: { period: Period; deadline?: CivilDate; count: number };
  memberName: string;
  /** How the greeting addresses the member, e.g. 王股长 (the caller builds it). */
  greetingName: string;
  locale: Locale;
  t: Translate;
  /** The relations that name one of the member's indicators. */
  relations?: DialogueRelation[];
  /** This period's stored figures of indicators a relation names outside the member's section, by key. */
  related?: Record<string, Decimal>;
}

/** An answer kept in state: an exact decimal string in the indicator's unit, or a skip. */
export type StoredAnswer = { value: string; note?: string; queried?: true } | { skipped: true };

/** A figure waiting for 是/否 because it looks wrong; `returnTo` is where 否 leads. */
export interface PendingAnswer {
  key: string;
  value: string;
  note?: string;
  returnTo: 'asking' | 'review';
}

/** The reporting dialogue between two messages: plain JSON, stored in the database. */
export type DialogueState =
  | { kind: 'idle' }
  | {
      kind: 'reporting';
      period: Period;
      correction: boolean;
      /** A first filing of a past month (补报): no reason asked, closes with 已补报. */
      late?: boolean;
      keys: string[];
      index: number;
      answers: Record<string, StoredAnswer>;
      phase: 'asking' | 'confirm_suspicious' | 'review' | 'reason';
      /** Only in confirm_suspicious. */
      pending?: PendingAnswer;
      /** The question was reopened from the summary (`2`, 上一项): answering it goes back there. */
      editing?: boolean;
      /**
       * What each key meant when the report opened (`meaningOf`: kind and unit), since answers are kept in
       * that unit: an indicator redefined since is dropped like one removed. Absent in older stored states.
       */
      meanings?: Record<string, string>;
    }
  | {
      kind: 'one_shot';
      period: Period;
      key: string;
      value: string;
      note?: string;
      /** What the key meant when the report was made (`meaningOf`: kind and unit). */
      meaning?: string;
      /** The figure was queried: confirming it stores it marked for the directors. */
      queried?: true;
      /** One-line reports sent while this one waited for 确认, confirmed in turn. */
      queued?: QueuedOneShot[];
    };

/** A one-line report kept for later: its period, indicator and the text as sent. */
export interface QueuedOneShot {
  period: Period;
  key: string;
  text: string;
}

/** The reporting state, narrowed. */
export type ReportingState = Extract<DialogueState, { kind: 'reporting' }>;

/** What the caller must do once, after storing the new state. */
export type DialogueEffect = {
  type: 'submit';
  period: Period;
  figures: { key: string; value: Decimal; note?: string; queried?: boolean }[];
  reason?: string;
  correction: boolean;
  /** A first filing of a past month (补报), and how many of its items were skipped: for `submittedLine`. */
  late: boolean;
  skipped: number;
};

/** The outcome of one message: the next state, the replies to send in order, the effects to run. */
export interface DialogueStep {
  state: DialogueState;
  replies: string[];
  effects: DialogueEffect[];
}

/** The state that holds no dialogue. */
export const IDLE: DialogueState = { kind: 'idle' };
