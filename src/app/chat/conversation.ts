import { IDLE, type DialogueState } from '../../core/dialogue/types.js';
import type { Tx } from '../../db/database.js';

/** A member's conversation between two messages: the reporting dialogue and a pending choice list. */
export interface ConversationState {
  dialogue: DialogueState;
  /** An ambiguous question's candidates, answered by number. */
  choice?: { candidates: string[]; year?: number; month?: number };
}

/**
 * Reads a member's conversation and locks it until the transaction ends, so that two messages of one
 * member — on one process or several — are handled one after the other and neither answer is lost.
 */
export async function lockConversation(tx: Tx, memberId: number, now: Date): Promise<{ state: ConversationState; version: number }> {
  const initial: ConversationState = { dialogue: IDLE };
  // One statement: created when missing, and locked either way (the no-op update takes the row lock).
  const rows = await tx.$queryRaw<{ state: unknown; version: number }[]>`
    INSERT INTO conversation (member_id, state, version, updated_at)
    VALUES (${memberId}, ${JSON.stringify(initial)}::jsonb, 0, ${now})
    ON CONFLICT (member_id) DO UPDATE SET member_id = conversation.member_id
    RETURNING state, version`;
  const row = rows[0];
  return { state: parseState(row?.state), version: row?.version ?? 0 };
}

/** Stores the conversation after a message; the version says how many messages it has seen. */
export async function saveConversation(
  tx: Tx,
  memberId: number,
  state: ConversationState,
  input: { version: number; chat: string; now: Date },
): Promise<void> {
  await tx.conversation.update({
    where: { memberId },
    data: { state: state as object, version: input.version + 1, lastChat: input.chat, updatedAt: input.now },
  });
}

function parseState(value: unknown): ConversationState {
  const candidate = (typeof value === 'string' ? JSON.parse(value) : value) as Partial<ConversationState> | null;
  if (!candidate || typeof candidate !== 'object' || !candidate.dialogue || typeof candidate.dialogue !== 'object') {
    return { dialogue: IDLE };
  }
  return { dialogue: candidate.dialogue, choice: candidate.choice };
}
