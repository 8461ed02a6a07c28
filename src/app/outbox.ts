import type { Db, Tx } from '../db/database.js';
import { type SqlParam, sqlOf } from '../db/sql.js';
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

/** A data-modifying statement to run in the same statement as the outbox rows, saving a round trip. */
export interface Alongside {
  /** An INSERT, UPDATE or DELETE with parameters `$1…$n`, run as a WITH clause. */
  text: string;
  params: SqlParam[];
}

/**
 * Writes messages to the outbox inside `tx`, in one statement; a message whose dedupe key exists already
 * is dropped. With `claim` the rows are born claimed (one attempt, leased to the writer), to be handed to
 * `Dispatcher.deliver` after commit: sent from memory, never read back unless that fails. `alongside`
 * runs in the same statement (a turn's conversation update). With `last` it is the transaction's last
 * statement (`Sql.finish`: the COMMIT may go with it), and nothing may follow it in `tx`.
 */
export async function writeMessages(
  tx: Tx,
  messages: OutgoingMessage[],
  now: Date,
  claim?: BirthClaim,
  alongside?: Alongside,
  { last = false }: { last?: boolean } = {},
): Promise<QueuedMessage[]> {
  const sql = sqlOf(tx);
  const run = last ? sql.finish.bind(sql) : sql.query.bind(sql);
  if (messages.length === 0) {
    if (alongside) await run(alongside.text, alongside.params);
    return [];
  }
  const params: SqlParam[] = [...(alongside?.params ?? [])];
  const insert = outboxInsert(messages, now, claim, params);
  // One statement; a message whose dedupe key exists already is dropped (and not returned).
  const inserted = await run<InsertedRow>(`${alongside ? `WITH alongside AS (${alongside.text}) ` : ''}${insert}`, params);
  return queuedRows(messages, inserted, now, claim);
}

/** What the outbox's INSERT returns for each row written. */
export interface InsertedRow {
  id: string;
  dedupe_key: string | null;
}

/**
 * The INSERT that writes `messages` to the outbox, its parameters appended to `params`; it returns
 * `InsertedRow`s. With `only`, an SQL condition, the rows are written only where it holds.
 */
export function outboxInsert(messages: OutgoingMessage[], now: Date, claim: BirthClaim | undefined, params: SqlParam[], only?: string): string {
  const bind = (value: SqlParam) => `$${params.push(value)}`;
  const values = messages.map((message) => {
    const notBefore = claim?.notBefore ?? message.notBefore ?? now;
    const file = message.file ? bind(message.file.content.toString('hex')) : 'NULL';
    return `(${bind(message.channel)}, ${bind(message.chat)}, ${bind(message.memberId ?? null)}::int, ${bind(message.kind)}, ${bind(message.dedupeKey ?? null)},
      ${bind(message.text)}, ${bind(message.file?.name ?? null)}, decode(${file}, 'hex'), ${bind(notBefore)}::timestamptz,
      ${bind(message.expiresAt ?? null)}::timestamptz, ${bind(claim?.claimedBy ?? null)}, ${claim ? 1 : 0}, ${bind(now)}::timestamptz)`;
  });
  const rows = only
    ? `SELECT * FROM (VALUES ${values.join(', ')}) AS written WHERE ${only}`
    : `VALUES ${values.join(', ')}`;
  return `INSERT INTO outbox_message (channel, chat, member_id, kind, dedupe_key, text, file_name, file_content, not_before, expires_at, claimed_by, attempts, created_at)
     ${rows}
     ON CONFLICT DO NOTHING
     RETURNING id::text AS id, dedupe_key`;
}

/** The messages as written, from what the INSERT returned: in the order decided, those dropped left out. */
export function queuedRows(messages: OutgoingMessage[], inserted: InsertedRow[], now: Date, claim?: BirthClaim): QueuedMessage[] {
  // Rows come back in no promised order: those with a dedupe key are known by it; the others are never
  // dropped and took their ids in the order written, so sorted by id they are the rest, in order.
  const byKey = new Map(inserted.filter((row) => row.dedupe_key !== null).map((row) => [row.dedupe_key, BigInt(row.id)]));
  const unkeyed = inserted.filter((row) => row.dedupe_key === null).map((row) => BigInt(row.id)).sort(compareBigInt);
  const rows: QueuedMessage[] = [];
  for (const message of messages) {
    const id = message.dedupeKey === undefined ? unkeyed.shift() : byKey.get(message.dedupeKey);
    if (id === undefined) continue;
    if (message.dedupeKey !== undefined) byKey.delete(message.dedupeKey);
    rows.push({
      id,
      channel: message.channel,
      chat: message.chat,
      kind: message.kind,
      memberId: message.memberId ?? null,
      dedupeKey: message.dedupeKey ?? null,
      text: message.text,
      fileName: message.file?.name ?? null,
      fileContent: message.file ? new Uint8Array(message.file.content) : null,
      attempts: claim ? 1 : 0,
      notBefore: claim?.notBefore ?? message.notBefore ?? now,
    });
  }
  // A chat's messages go out in the order they were decided.
  return rows.sort(byId);
}

function compareBigInt(a: bigint, b: bigint): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** Writes messages to the outbox inside `tx`, for a sweep to send; returns the ids of those written. */
export async function enqueueMessages(tx: Tx, messages: OutgoingMessage[], now: Date): Promise<bigint[]> {
  return (await writeMessages(tx, messages, now)).map((row) => row.id);
}

export function byId(a: { id: bigint }, b: { id: bigint }): number {
  return compareBigInt(a.id, b.id);
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

