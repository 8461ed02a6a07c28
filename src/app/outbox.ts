import type { Db, Tx } from '../db/database.js';
import type { Logger } from '../logger.js';

/** A message the bot decided to send; written to the outbox in the deciding transaction. */
export interface OutgoingMessage {
  channel: string;
  chat: string;
  memberId?: number;
  kind: string;
  /** At most one message per key, ever (a reminder per person, period and kind). */
  dedupeKey?: string;
  text: string;
  file?: { name: string; content: Buffer };
  /** Not before this moment (quiet hours). */
  notBefore?: Date;
  /** Not after this moment either: a reminder that could not go out in time is dropped, not sent late. */
  expiresAt?: Date;
}

/** A message as written to the outbox, with what sending it needs. */
export interface QueuedMessage {
  id: bigint;
  channel: string;
  chat: string;
  kind: string;
  memberId: number | null;
  dedupeKey: string | null;
  text: string;
  fileName: string | null;
  fileContent: Uint8Array | null;
  attempts: number;
  notBefore: Date;
}

/** A claim made as the row is written: the writer sends it right after commit, nobody else meanwhile. */
export interface BirthClaim {
  claimedBy: string;
  /** The lease: until then the row is the writer's. */
  notBefore: Date;
}

const QUEUED_FIELDS = {
  id: true, channel: true, chat: true, kind: true, memberId: true, dedupeKey: true, text: true,
  fileName: true, fileContent: true, attempts: true, notBefore: true,
} as const;

/**
 * Writes messages to the outbox inside `tx`, in one statement; a message whose dedupe key exists already
 * is dropped. With `claim` the rows are born claimed (one attempt, leased to the writer), to be handed to
 * `Dispatcher.deliver` after commit: sent from memory, never read back unless that fails.
 */
export async function writeMessages(tx: Tx, messages: OutgoingMessage[], now: Date, claim?: BirthClaim): Promise<QueuedMessage[]> {
  if (messages.length === 0) return [];
  const rows = await tx.outboxMessage.createManyAndReturn({
    data: messages.map((message) => ({
      channel: message.channel,
      chat: message.chat,
      memberId: message.memberId ?? null,
      kind: message.kind,
      dedupeKey: message.dedupeKey ?? null,
      text: message.text,
      fileName: message.file?.name ?? null,
      fileContent: message.file ? new Uint8Array(message.file.content) : null,
      notBefore: claim?.notBefore ?? message.notBefore ?? now,
      expiresAt: message.expiresAt ?? null,
      createdAt: now,
      ...(claim ? { claimedBy: claim.claimedBy, attempts: 1 } : {}),
    })),
    skipDuplicates: true,
    select: QUEUED_FIELDS,
  });
  // RETURNING keeps no order: a chat's messages go out in the order they were decided.
  return rows.sort(byId);
}

/** Writes messages to the outbox inside `tx`, for a sweep to send; returns the ids of those written. */
export async function enqueueMessages(tx: Tx, messages: OutgoingMessage[], now: Date): Promise<bigint[]> {
  return (await writeMessages(tx, messages, now)).map((row) => row.id);
}

export function byId(a: { id: bigint }, b: { id: bigint }): number {
  return a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
}

/** What to do with a claimed message just before it goes out (see `DispatcherOptions.gate`). */
export type SendDecision =
  /** `text`, when given, replaces the stored text (an escalation listing only who still owes figures). */
  | { action: 'send'; text?: string }
  /** Not needed any more (a reminder whose figures are in): marked cancelled, never sent. */
  | { action: 'cancel'; reason: string }
  /** Not now (quiet hours): due again at `until`, holding back none of its chat's other messages. */
  | { action: 'defer'; until: Date };

/**
 * Releases every message a sender had claimed and not finished, for sending at once. Only for a database
 * no other process can be sending from (the embedded one, held by a lock file): there, a claim found at
 * start was made by a process that died mid-send, and would otherwise hold back its chat — replies
 * included — until the lease ran out. The message in flight at the death may go out twice; none is lost.
 */
export async function releaseAbandonedClaims(prisma: Db, now: Date, logger?: Logger): Promise<number> {
  const { count } = await prisma.outboxMessage.updateMany({
    where: { status: 'pending', claimedBy: { not: null } },
    data: { claimedBy: null, notBefore: now },
  });
  if (count > 0) logger?.warn({ released: count }, 'messages claimed by a process that stopped mid-send are sent again');
  return count;
}

