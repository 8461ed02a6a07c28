import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import { setImmediate } from 'node:timers/promises';
import { ChannelError, RateLimitError } from './channel-errors.js';
import type { Db } from '../db/database.js';
import { intArray, sqlOf } from '../db/sql.js';
import type { Logger } from '../logger.js';
import type { ChannelAdapter } from './port.js';
import { type BirthClaim, type QueuedMessage, type SendDecision, byId } from './outbox.js';
import { type SendPacer, type SendPriority, type TakeSlot, UNPACED, createSendPacer } from './send-pacer.js';

export interface DispatcherOptions {
  prisma: Db;
  adapters: ReadonlyMap<string, ChannelAdapter>;
  now: () => Date;
  logger?: Logger;
  /** How long a claimed message is reserved for its sender before another may retry it. */
  leaseMs?: number;
  batchSize?: number;
  /** Who claims (written to `claimed_by`); unique per dispatcher by default. */
  owner?: string;
  /** Asked about each message right before it is sent; without it, everything claimed is sent. */
  gate?: (message: { kind: string; chat: string; memberId: number | null; dedupeKey: string | null }, at: Date) => Promise<SendDecision>;
  /** Per channel; a channel without one sends as fast as it can, one message at a time per chat. */
  pacers?: ReadonlyMap<string, SendPacer>;
}

export interface Dispatcher {
  /** The claim to write replies with (`writeMessages`), so that they are this dispatcher's to deliver. */
  birthClaim(at: Date): BirthClaim;
  /** Sends rows this process wrote born-claimed and committed; resolves when each is sent or rescheduled. */
  deliver(rows: QueuedMessage[]): Promise<void>;
  /**
   * Sweeps the outbox: sends what is due (or just `ids`, when given and due) — reminders, retries, what a
   * stopped process left. Resolves when this sweep is done and every delivery begun before it has ended.
   */
  flush(ids?: bigint[]): Promise<void>;
}

const MAX_BACKOFF_MS = 10 * 60_000;

/** What became of one attempt, recorded after the chat's lane is free again. */
type Outcome =
  | { kind: 'sent'; text?: string }
  | { kind: 'cancelled'; reason: string }
  | { kind: 'deferred'; until: Date }
  | { kind: 'held'; until: Date }
  | { kind: 'retry'; at: Date; error: string; backoffMs?: number }
  | { kind: 'failed'; error: string; attempts?: number }
  | { kind: 'lost' };

/**
 * Sends outbox messages through the channel adapters. Replies are written born-claimed in the deciding
 * transaction and handed over from memory after commit (`deliver`); everything else is claimed by a sweep
 * with a lease (`FOR UPDATE SKIP LOCKED`, so several processes never claim the same row). Each chat's
 * messages go through its channel's pacer, one at a time and in order, replies ahead of reminders; other
 * chats never wait for them. A message is then marked: sent (many in one statement); failed for good
 * when the platform says retrying cannot help; or due again after the platform's retry-after or an
 * exponential backoff, holding back its chat's later messages until then.
 */
export function createDispatcher(options: DispatcherOptions): Dispatcher {
  const { prisma, adapters, now, logger } = options;
  const leaseMs = options.leaseMs ?? 60_000;
  const batchSize = options.batchSize ?? 100;
  const owner = options.owner ?? `${hostname()}:${process.pid}:${randomUUID().slice(0, 8)}`;
  const pacers = new Map(options.pacers);
  const pacerOf = (channel: string): SendPacer => {
    let pacer = pacers.get(channel);
    if (!pacer) pacers.set(channel, (pacer = createSendPacer(UNPACED)));
    return pacer;
  };
  /** Chats whose earlier message waits for a retry: their later ones wait behind it, in the outbox. */
  const heldChats = new Map<string, Date>();
  const inflight = new Set<Promise<void>>();
  const marker = createSentMarker(prisma, now, logger);

  /** Reminders whose step is over are not sent late (after downtime, a logout, a long 429): marked expired. */
  async function expireStale(): Promise<void> {
    const { count } = await prisma.outboxMessage.updateMany({
      where: { status: 'pending', expiresAt: { lte: now() } },
      data: { status: 'expired' },
    });
    if (count > 0) logger?.info({ expired: count }, 'stale reminders dropped from the outbox');
  }

  async function claim(ids?: bigint[]): Promise<QueuedMessage[]> {
    const at = now();
    const leaseUntil = new Date(at.getTime() + leaseMs);
    const only = ids && ids.length > 0 ? ids.map(String) : null;
    // Only what this process can send: the terminal chat leaves the running bot's Telegram messages alone,
    // and a logged-out WeChat's messages wait untried, so that a long logout does not use up their attempts.
    const channels = [...adapters].filter(([, adapter]) => adapter.canSend?.() !== false).map(([name]) => name);
    const rows = await prisma.$queryRaw<QueuedMessage[]>`
      UPDATE outbox_message SET attempts = attempts + 1, not_before = ${leaseUntil}, claimed_by = ${owner}
      WHERE id IN (
        SELECT id FROM outbox_message m
        WHERE status = 'pending' AND not_before <= ${at} AND (expires_at IS NULL OR expires_at > ${at})
          AND channel = ANY(${channels}::text[])
          AND (${only}::text[] IS NULL OR id::text = ANY(${only}::text[]))
          -- Never ahead of an earlier message of the chat that was tried and waits for a retry (or is being
          -- sent elsewhere), nor of one due now that this pass was not asked to send. One merely scheduled
          -- for later (a reminder held until quiet hours end) holds nothing back; one tried before and due
          -- again is claimed in this pass, ahead of it.
          AND NOT EXISTS (
            SELECT 1 FROM outbox_message earlier
            WHERE earlier.chat = m.chat AND earlier.status = 'pending' AND earlier.id < m.id
              AND ((earlier.attempts > 0 AND earlier.not_before > ${at})
                OR (earlier.not_before <= ${at} AND ${only}::text[] IS NOT NULL AND NOT earlier.id::text = ANY(${only}::text[]))))
        ORDER BY id LIMIT ${batchSize}
        FOR UPDATE SKIP LOCKED)
      RETURNING id, channel, chat, kind, member_id AS "memberId", dedupe_key AS "dedupeKey", text, file_name AS "fileName",
        file_content AS "fileContent", attempts, not_before AS "notBefore"`;
    // RETURNING keeps no order: a chat's messages go out in the order they were decided.
    return rows.sort(byId);
  }

  /*
   * A slow channel (WeChat's pace) may keep a claimed row waiting past half its lease: the lease is then
   * renewed, but only if it is still ours — if it ran out and another sender took the row, we leave it.
   */
  async function keepLease(row: QueuedMessage): Promise<boolean> {
    const at = now();
    if (row.notBefore.getTime() - at.getTime() > leaseMs / 2) return true;
    const renewed = new Date(at.getTime() + leaseMs);
    const { count } = await prisma.outboxMessage.updateMany({
      where: { id: row.id, status: 'pending', notBefore: row.notBefore, claimedBy: owner },
      data: { notBefore: renewed },
    });
    if (count === 1) row.notBefore = renewed;
    return count === 1;
  }

  /** One attempt, inside the chat's lane of its channel's pacer: only what must happen in the chat's order. */
  async function attempt(row: QueuedMessage, slot: TakeSlot): Promise<Outcome> {
    const heldUntil = heldChats.get(row.chat);
    if (heldUntil && heldUntil.getTime() > now().getTime()) return { kind: 'held', until: heldUntil };
    heldChats.delete(row.chat);
    const adapter = adapters.get(row.channel);
    try {
      if (!adapter) throw new ChannelError(row.channel, `no ${row.channel} channel is running`, { permanent: false });
      // Another sender has it now (our lease ran out while we waited): it is theirs, and ahead of the rest.
      if (!(await keepLease(row))) return hold(row.chat, row.notBefore, { kind: 'lost' });
      const decision: SendDecision = options.gate
        ? await options.gate({ kind: row.kind, chat: row.chat, memberId: row.memberId, dedupeKey: row.dedupeKey }, now())
        : { action: 'send' };
      if (decision.action === 'cancel') return { kind: 'cancelled', reason: decision.reason };
      if (decision.action === 'defer') return { kind: 'deferred', until: decision.until };
      // The channel's pace counts from here: what came before (the lease, the gate) may wait on the database.
      await slot();
      if (row.fileName && row.fileContent) {
        if (!adapter.sendFile) throw new ChannelError(row.channel, 'this channel cannot send files', { permanent: true });
        await adapter.sendFile(row.chat, { name: row.fileName, content: Buffer.from(row.fileContent), caption: row.text || undefined });
      } else {
        await adapter.sendText(row.chat, decision.text ?? row.text);
      }
      return { kind: 'sent', text: decision.text };
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      if (error instanceof RateLimitError) {
        // Still an attempt: a tried message holds back its chat's later ones (see claim), a 429'd one too.
        const at = new Date(now().getTime() + error.retryAfterMs);
        return hold(row.chat, at, { kind: 'retry', at, error: message });
      }
      if (error instanceof ChannelError && error.permanent) return { kind: 'failed', error: message };
      if (error instanceof ChannelError && error.giveUpAfter !== undefined && row.attempts >= error.giveUpAfter) {
        // Probably permanent, and tried often enough (the claim counted this attempt) to believe it.
        return { kind: 'failed', error: message, attempts: row.attempts };
      }
      const backoffMs = Math.min(1000 * 2 ** Math.min(row.attempts, 20), MAX_BACKOFF_MS);
      const at = new Date(now().getTime() + backoffMs);
      return hold(row.chat, at, { kind: 'retry', at, error: message, backoffMs });
    }
  }

  function hold<T extends Outcome>(chat: string, until: Date, outcome: T): T {
    heldChats.set(chat, until);
    return outcome;
  }

  /** Writes down what became of an attempt; the chat's next message need not wait for this. */
  async function record(row: QueuedMessage, outcome: Outcome): Promise<void> {
    const where = { id: row.id };
    switch (outcome.kind) {
      case 'sent':
        // A sent workbook need not stay in the database: the figures it was made from do.
        if (outcome.text !== undefined) {
          await prisma.outboxMessage.update({
            where,
            data: { status: 'sent', sentAt: now(), lastError: null, fileContent: null, claimedBy: null, text: outcome.text },
          });
          logger?.debug({ ids: [String(row.id)] }, 'sent messages marked');
        } else {
          await marker.sent(row.id);
        }
        return;
      case 'cancelled':
        await prisma.outboxMessage.update({ where, data: { status: 'cancelled', lastError: outcome.reason, claimedBy: null } });
        logger?.info({ id: String(row.id), chat: row.chat, kind: row.kind, reason: outcome.reason }, 'message no longer needed; not sent');
        return;
      case 'deferred':
        // Merely scheduled again (attempts 0), so that it holds back none of the chat's replies meanwhile.
        await prisma.outboxMessage.update({ where, data: { notBefore: outcome.until, attempts: 0, claimedBy: null } });
        return;
      case 'held':
        // Behind an earlier message of its chat that waits for a retry: given back untried, due with it.
        await prisma.outboxMessage.update({ where, data: { notBefore: outcome.until, attempts: { decrement: 1 }, claimedBy: null } });
        return;
      case 'retry':
        await prisma.outboxMessage.update({ where, data: { notBefore: outcome.at, lastError: outcome.error, claimedBy: null } });
        if (outcome.backoffMs !== undefined) {
          logger?.warn({ id: String(row.id), chat: row.chat, error: outcome.error, retryInMs: outcome.backoffMs }, 'send failed; will retry');
        }
        return;
      case 'failed':
        await prisma.outboxMessage.update({ where, data: { status: 'failed', lastError: outcome.error, claimedBy: null } });
        logger?.warn(
          { id: String(row.id), chat: row.chat, error: outcome.error, attempts: outcome.attempts },
          outcome.attempts === undefined ? 'message cannot be delivered; given up' : 'message still cannot be delivered after repeated attempts; given up',
        );
        return;
      case 'lost':
        return;
    }
  }

  async function send(row: QueuedMessage, priority: SendPriority): Promise<void> {
    const outcome = await pacerOf(row.channel).run(row.chat, priority, (slot) => attempt(row, slot));
    await record(row, outcome);
  }

  /** Sends rows in id order (the pacer keeps each chat's order from there); settles when all are recorded. */
  function sendAll(rows: QueuedMessage[], priority: (row: QueuedMessage) => SendPriority): Promise<void> {
    const sending = Promise.all(
      rows.map((row) =>
        send(row, priority(row)).catch((error: unknown) => {
          logger?.error({ err: error, id: String(row.id), chat: row.chat }, 'could not record what became of a message; a sweep retries it');
        }),
      ),
    ).then(() => undefined);
    inflight.add(sending);
    void sending.finally(() => inflight.delete(sending));
    return sending;
  }

  async function sweep(ids?: bigint[]): Promise<void> {
    await expireStale();
    for (;;) {
      const rows = await claim(ids);
      await sendAll(rows, (row) => (row.kind === 'reply' ? 'reply' : 'bulk'));
      if (rows.length < batchSize || ids) return;
    }
  }

  // Sweeps run one at a time in a process; one asked for while another runs is done once, after it.
  let running: Promise<void> = Promise.resolve();
  let queuedSweep: Promise<void> | undefined;

  return {
    birthClaim: (at) => ({ claimedBy: owner, notBefore: new Date(at.getTime() + leaseMs) }),

    deliver(rows) {
      return sendAll(rows, () => 'reply');
    },

    async flush(ids) {
      const deliveries = [...inflight];
      if (!ids && queuedSweep) {
        await queuedSweep;
      } else {
        const next = running.then(() => {
          if (!ids) queuedSweep = undefined;
          return sweep(ids);
        });
        running = next.catch((error: unknown) => {
          logger?.error({ err: error }, 'outbox sweep failed');
        });
        if (!ids) queuedSweep = running;
        await running;
      }
      await Promise.all(deliveries);
    },
  };
}

/**
 * Marks sent messages in batches, one statement at a time: every message sent while a batch is being
 * written is marked by the next one statement (under load, one round trip marks dozens). Resolves each
 * caller when its message is marked.
 */
function createSentMarker(prisma: Db, now: () => Date, logger?: Logger) {
  let batch: bigint[] = [];
  // The next write, not begun yet: every message sent meanwhile joins it.
  let next: Promise<void> | undefined;
  // The write under way (settled either way, for the next to wait on).
  let writing: Promise<unknown> = Promise.resolve();

  async function writeNext(): Promise<void> {
    await writing;
    // Let the sends finishing at the same moment join this batch.
    await setImmediate();
    const ids = batch;
    batch = [];
    next = undefined;
    const written = sqlOf(prisma).query(
      `UPDATE outbox_message SET status = 'sent', sent_at = $1::timestamptz, last_error = NULL, file_content = NULL, claimed_by = NULL
       WHERE id = ANY($2::bigint[])`,
      [now(), intArray(ids)],
    );
    writing = written.catch(() => undefined);
    await written;
    logger?.debug({ ids: ids.map(String) }, 'sent messages marked');
  }

  return {
    sent(id: bigint): Promise<void> {
      batch.push(id);
      next ??= writeNext();
      return next;
    },
  };
}
