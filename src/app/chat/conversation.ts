import { z } from 'zod';
import { IDLE, type DialogueState } from '../../core/dialogue/types.js';
import type { Tx } from '../../db/database.js';
import { parseStored } from '../../db/stored-json.js';
import { type SqlParam, sqlOf } from '../../db/sql.js';

/** A member's conversation between two messages: the reporting dialogue and a pending choice list. */
export interface ConversationState {
  dialogue: DialogueState;
  /** An ambiguous question's candidates, answered by number. */
  choice?: { candidates: string[]; year?: number; month?: number };
  /**
   * What the last message did in a report (answered an item, or opened it from the summary: `pick`; whose
   * item, the text, when): the same text again moments later is that message sent twice, not taken again.
   */
  answered?: { key: string; text: string; at: string; pick?: true };
}

/**
 * Reads a member's conversation and locks it until the transaction ends, so that two messages of one
 * member — on one process or several — are handled one after the other and neither answer is lost.
 */
export async function lockConversation(tx: Tx, memberId: number, now: Date): Promise<{ state: ConversationState; version: number }> {
  const lock = conversationLock(memberId, now, 0);
  const [row] = await sqlOf(tx).query<LockedRow>(lock.text, lock.params);
  return lockedConversation(row, memberId);
}

/** What the lock statement returns. */
export interface LockedRow {
  state: string;
  version: number;
}

/**
 * The statement that creates a member's conversation when missing and locks it either way (the no-op
 * update takes the row lock), returning `state` (text) and `version`; its parameters are numbered from
 * `offset + 1`, so that it can join another statement as a WITH clause.
 */
export function conversationLock(memberId: number, now: Date, offset: number): { text: string; params: SqlParam[] } {
  const n = (k: number) => `$${offset + k}`;
  return {
    text: `INSERT INTO conversation (member_id, state, version, updated_at)
      VALUES (${n(1)}::int, ${n(2)}::jsonb, 0, ${n(3)}::timestamptz)
      ON CONFLICT (member_id) DO UPDATE SET member_id = conversation.member_id
      RETURNING state::text AS state, version`,
    params: [memberId, JSON.stringify(INITIAL), now],
  };
}

/** The conversation the lock statement returned. */
export function lockedConversation(row: LockedRow | undefined, memberId: number): { state: ConversationState; version: number } {
  return { state: parseState(row ? JSON.parse(row.state) : INITIAL, memberId), version: row?.version ?? 0 };
}

const INITIAL: ConversationState = { dialogue: IDLE };

/**
 * Stores the conversation after a message; the version says how many messages it has seen. Every write of
 * a conversation's state moves its version on: a process that holds a conversation between turns (and a
 * turn decided between a read and a write) knows it unchanged by its version alone.
 */
export async function saveConversation(
  tx: Tx,
  memberId: number,
  state: ConversationState,
  input: { version: number; chat: string; now: Date },
): Promise<void> {
  const update = conversationUpdate(memberId, state, input);
  await sqlOf(tx).query(update.text, update.params);
}

/** The statement `saveConversation` runs, to run alongside another (see `writeMessages`). */
export function conversationUpdate(
  memberId: number,
  state: ConversationState,
  input: { version: number; chat: string; now: Date },
): { text: string; params: SqlParam[] } {
  return {
    text: 'UPDATE conversation SET state = $1::jsonb, version = $2::int, last_chat = $3, updated_at = $4::timestamptz WHERE member_id = $5::int',
    params: [JSON.stringify(state), input.version + 1, input.chat, input.now, memberId],
  };
}

const period = z.looseObject({ year: z.number().int(), month: z.number().int().min(1).max(12) });
// An exact decimal as Decimal wrote it (exponent forms included), checked as a figure when it is stored.
const decimalText = z.string().min(1);
const storedAnswer = z.union([
  z.looseObject({ value: decimalText, note: z.string().optional(), queried: z.literal(true).optional() }),
  z.looseObject({ skipped: z.literal(true) }),
]);

/*
 * The stored conversation, checked where it is read. Objects are loose: a field a newer version adds is
 * kept, not refused; what each field the code reads must be is checked.
 */
const conversationSchema = z.looseObject({
  dialogue: z.discriminatedUnion('kind', [
    z.looseObject({ kind: z.literal('idle') }),
    z.looseObject({
      kind: z.literal('reporting'),
      period,
      correction: z.boolean(),
      keys: z.array(z.string()),
      index: z.number().int().min(0),
      answers: z.record(z.string(), storedAnswer),
      phase: z.enum(['asking', 'confirm_suspicious', 'review', 'reason']),
      pending: z
        .looseObject({ key: z.string(), value: decimalText, note: z.string().optional(), returnTo: z.enum(['asking', 'review']) })
        .optional(),
      editing: z.boolean().optional(),
      meanings: z.record(z.string(), z.string()).optional(),
    }),
    z.looseObject({
      kind: z.literal('one_shot'),
      period,
      key: z.string(),
      value: decimalText,
      note: z.string().optional(),
      meaning: z.string().optional(),
      queried: z.literal(true).optional(),
      queued: z.array(z.looseObject({ period, key: z.string(), text: z.string() })).optional(),
    }),
  ]),
  choice: z
    .looseObject({ candidates: z.array(z.string()), year: z.number().int().optional(), month: z.number().int().optional() })
    .optional(),
  answered: z.looseObject({ key: z.string(), text: z.string(), at: z.string(), pick: z.literal(true).optional() }).optional(),
});

function parseState(value: unknown, memberId: number): ConversationState {
  const parsed = parseStored(conversationSchema, value, `conversation of member ${memberId}`);
  return { dialogue: parsed.dialogue as DialogueState, choice: parsed.choice, answered: parsed.answered };
}
