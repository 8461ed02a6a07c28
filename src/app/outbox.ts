import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import type { ChannelAdapter } from '../channels/port.js';
import { ChannelError, RateLimitError } from '../channels/errors.js';
import type { Db, Tx } from '../db/database.js';
import type { Logger } from '../logger.js';
import { type RateLimiter } from '../scheduler/rate-limiter.js';

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

/** Writes messages to the outbox inside `tx`; a message whose dedupe key exists already is dropped. */
export async function enqueueMessages(tx: Tx, messages: OutgoingMessage[], now: Date): Promise<bigint[]> {
  const ids: bigint[] = [];
  for (const message of messages) {
    const data = {
      channel: message.channel,
      chat: message.chat,
      memberId: message.memberId ?? null,
      kind: message.kind,
      dedupeKey: message.dedupeKey ?? null,
      text: message.text,
      fileName: message.file?.name ?? null,
      fileContent: message.file ? new Uint8Array(message.file.content) : null,
      notBefore: message.notBefore ?? now,
      expiresAt: message.expiresAt ?? null,
      createdAt: now,
    };
    if (message.dedupeKey) {
      const existing = await tx.outboxMessage.findUnique({ where: { dedupeKey: message.dedupeKey }, select: { id: true } });
      if (existing) continue;
    }
    const row = await tx.outboxMessage.create({ data, select: { id: true } });
    ids.push(row.id);
  }
  return ids;
}

/** What to do with a claimed message just before it goes out (see `DispatcherOptions.gate`). */
export type SendDecision =
  /** `text`, when given, replaces the stored text (an escalation listing only who still owes figures). */
  | { action: 'send'; text?: string }
  /** Not needed any more (a reminder whose figures are in): marked cancelled, never sent. */
  | { action: 'cancel'; reason: string }
  /** Not now (quiet hours): due again at `until`, holding back none of its chat's other messages. */
  | { action: 'defer'; until: Date };

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
  /** Per channel; a channel without one sends as fast as it can. */
  limiters?: ReadonlyMap<string, RateLimiter>;
}

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

export interface Dispatcher {
  /** Sends what is due (or just `ids`, when given and due); resolves when this pass is done. */
  flush(ids?: bigint[]): Promise<void>;
}

const MAX_BACKOFF_MS = 10 * 60_000;

/** A row as `claim` returns it. */
interface ClaimedRow {
  id: bigint;
  channel: string;
  chat: string;
  kind: string;
  member_id: number | null;
  dedupe_key: string | null;
  text: string;
  file_name: string | null;
  file_content: Uint8Array | null;
  attempts: number;
  not_before: Date;
}

/**
 * Sends outbox messages through the channel adapters. A message is claimed with a lease (`FOR UPDATE
 * SKIP LOCKED`, so several processes never claim the same row), sent, then marked: sent; failed for good
 * when the platform says retrying cannot help; or due again after the platform's retry-after or an
 * exponential backoff.
 */
export function createDispatcher(options: DispatcherOptions): Dispatcher {
  const { prisma, adapters, now, logger } = options;
  const leaseMs = options.leaseMs ?? 60_000;
  const batchSize = options.batchSize ?? 50;
  const owner = options.owner ?? `${hostname()}:${process.pid}:${randomUUID().slice(0, 8)}`;
  let running: Promise<void> = Promise.resolve();

  /** Reminders whose step is over are not sent late (after downtime, a logout, a long 429): marked expired. */
  async function expireStale(): Promise<void> {
    const { count } = await prisma.outboxMessage.updateMany({
      where: { status: 'pending', expiresAt: { lte: now() } },
      data: { status: 'expired' },
    });
    if (count > 0) logger?.info({ expired: count }, 'stale reminders dropped from the outbox');
  }

  async function claim(ids?: bigint[]) {
    const at = now();
    const leaseUntil = new Date(at.getTime() + leaseMs);
    const only = ids && ids.length > 0 ? ids.map(String) : null;
    // Only what this process can send: the terminal chat leaves the running bot's Telegram messages alone,
    // and a logged-out WeChat's messages wait untried, so that a long logout does not use up their attempts.
    const channels = [...adapters].filter(([, adapter]) => adapter.canSend?.() !== false).map(([name]) => name);
    return prisma.$queryRaw<ClaimedRow[]>`
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
      RETURNING id, channel, chat, kind, member_id, dedupe_key, text, file_name, file_content, attempts, not_before`;
  }

  /*
   * A slow channel (WeChat's pace) may keep a claimed row waiting past half its lease: the lease is then
   * renewed, but only if it is still ours — if it ran out and another sender took the row, we leave it.
   */
  async function keepLease(row: { id: bigint; not_before: Date }): Promise<boolean> {
    const at = now();
    if (row.not_before.getTime() - at.getTime() > leaseMs / 2) return true;
    const renewed = new Date(at.getTime() + leaseMs);
    const { count } = await prisma.outboxMessage.updateMany({
      where: { id: row.id, status: 'pending', notBefore: row.not_before, claimedBy: owner },
      data: { notBefore: renewed },
    });
    if (count === 1) row.not_before = renewed;
    return count === 1;
  }

  /** Sends one claimed row and records the outcome; returns until when it holds back its chat's later messages. */
  async function sendOne(row: ClaimedRow): Promise<Date | undefined> {
    const adapter = adapters.get(row.channel);
    try {
      if (!adapter) throw new ChannelError(row.channel, `no ${row.channel} channel is running`, { permanent: false });
      await options.limiters?.get(row.channel)?.acquire(row.chat);
      // Another sender has it now (our lease ran out while we waited): it is theirs, and ahead of the rest.
      if (!(await keepLease(row))) return row.not_before;
      const decision: SendDecision = options.gate
        ? await options.gate({ kind: row.kind, chat: row.chat, memberId: row.member_id, dedupeKey: row.dedupe_key }, now())
        : { action: 'send' };
      if (decision.action === 'cancel') {
        await prisma.outboxMessage.update({ where: { id: row.id }, data: { status: 'cancelled', lastError: decision.reason, claimedBy: null } });
        logger?.info({ id: String(row.id), chat: row.chat, kind: row.kind, reason: decision.reason }, 'message no longer needed; not sent');
        return undefined;
      }
      if (decision.action === 'defer') {
        // Merely scheduled again (attempts 0), so that it holds back none of the chat's replies meanwhile.
        await prisma.outboxMessage.update({ where: { id: row.id }, data: { notBefore: decision.until, attempts: 0, claimedBy: null } });
        return undefined;
      }
      if (row.file_name && row.file_content) {
        if (!adapter.sendFile) throw new ChannelError(row.channel, 'this channel cannot send files', { permanent: true });
        await adapter.sendFile(row.chat, { name: row.file_name, content: Buffer.from(row.file_content), caption: row.text || undefined });
      } else {
        await adapter.sendText(row.chat, decision.text ?? row.text);
      }
      // A sent workbook need not stay in the database: the figures it was made from do.
      await prisma.outboxMessage.update({
        where: { id: row.id },
        data: { status: 'sent', sentAt: now(), lastError: null, fileContent: null, claimedBy: null, text: decision.text ?? row.text },
      });
      return undefined;
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      if (error instanceof RateLimitError) {
        // Still an attempt: a tried message holds back its chat's later ones (see claim), a 429'd one too.
        const retryAt = new Date(now().getTime() + error.retryAfterMs);
        await prisma.outboxMessage.update({ where: { id: row.id }, data: { notBefore: retryAt, lastError: message, claimedBy: null } });
        return retryAt;
      } else if (error instanceof ChannelError && error.permanent) {
        await prisma.outboxMessage.update({ where: { id: row.id }, data: { status: 'failed', lastError: message, claimedBy: null } });
        logger?.warn({ id: String(row.id), chat: row.chat, error: message }, 'message cannot be delivered; given up');
        return undefined;
      } else if (error instanceof ChannelError && error.giveUpAfter !== undefined && row.attempts >= error.giveUpAfter) {
        // Probably permanent, and tried often enough (the claim counted this attempt) to believe it.
        await prisma.outboxMessage.update({ where: { id: row.id }, data: { status: 'failed', lastError: message, claimedBy: null } });
        logger?.warn({ id: String(row.id), chat: row.chat, error: message, attempts: row.attempts }, 'message still cannot be delivered after repeated attempts; given up');
        return undefined;
      } else {
        const backoff = Math.min(1000 * 2 ** Math.min(row.attempts, 20), MAX_BACKOFF_MS);
        const retryAt = new Date(now().getTime() + backoff);
        await prisma.outboxMessage.update({ where: { id: row.id }, data: { notBefore: retryAt, lastError: message, claimedBy: null } });
        logger?.warn({ id: String(row.id), chat: row.chat, error: message, retryInMs: backoff }, 'send failed; will retry');
        return retryAt;
      }
    }
  }

  async function pass(ids?: bigint[]): Promise<void> {
    await expireStale();
    for (;;) {
      // RETURNING keeps no order: sort, so that a chat's messages go out in the order they were decided.
      const rows = (await claim(ids)).sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
      // A failure holds back that chat's later messages until it has gone out.
      const blocked = new Map<string, Date>();
      for (const [index, row] of rows.entries()) {
        const heldUntil = blocked.get(row.chat);
        if (heldUntil) {
          await prisma.outboxMessage.update({ where: { id: row.id }, data: { notBefore: heldUntil, attempts: { decrement: 1 }, claimedBy: null } });
          continue;
        }
        const holdsBackUntil = await sendOne(row);
        if (holdsBackUntil) blocked.set(row.chat, holdsBackUntil);
        if (!ids && repliesWaiting > 0) {
          // Someone is waiting for an answer behind a long round (WeChat's pace makes one last minutes):
          // the rest of the round goes back to the outbox, due now, and the next sweep carries on with it.
          await release(rows.slice(index + 1));
          return;
        }
      }
      if (rows.length < batchSize || ids) return;
    }
  }

  /** Gives claimed rows back unsent and untried, due at once (a chat's order is kept by `claim`). */
  async function release(rows: ClaimedRow[]): Promise<void> {
    if (rows.length === 0) return;
    await prisma.outboxMessage.updateMany({
      where: { id: { in: rows.map((row) => row.id) }, status: 'pending', claimedBy: owner },
      data: { notBefore: now(), attempts: { decrement: 1 }, claimedBy: null },
    });
  }

  // Passes queued behind the running one: replies (passes for given ids), and at most one sweep.
  let repliesWaiting = 0;
  let queuedSweep: Promise<void> | undefined;

  return {
    flush(ids) {
      // A sweep already waiting to run will send whatever this one would.
      if (!ids && queuedSweep) return queuedSweep;
      const targeted = ids !== undefined;
      if (targeted) repliesWaiting += 1;
      // Passes run one after another in a process, so a chat's replies never overtake each other.
      const next = running.then(() => {
        if (targeted) repliesWaiting -= 1;
        else queuedSweep = undefined;
        return pass(ids);
      });
      running = next.catch((error: unknown) => {
        logger?.error({ err: error }, 'outbox pass failed');
      });
      if (!targeted) queuedSweep = running;
      return running;
    },
  };
}
