import type { IncomingMessage, MessageOutcome } from '../port.js';
import { cleanIncomingText } from '../../core/clean-text.js';
import { createIntentMatcher } from '../../core/intents.js';
import { translator } from '../../core/i18n.js';
import { AppError } from '../../core/errors.js';
import { type Member, isReporter } from '../../core/domain.js';
import { type Period, comparePeriods } from '../../core/period.js';
import { currentPeriod } from '../../core/schedule.js';
import type { Db, Tx } from '../../db/database.js';
import { persistenceErrorCode, translatePersistenceError } from '../../db/persistence-errors.js';
import { type AloneStatement, type Sql, aloneStatementOf, noTransaction, transactionWithSql } from '../../db/sql.js';
import { type FirstFigures, type FirstFiguresOutcome, type FirstFiguresRead, firstFiguresWrite, readFirstFigures } from '../record-figure.js';
import type { Logger } from '../../logger.js';
import { redeemInviteIn } from '../invites.js';
import { type OrgCache, type OrgSnapshot, createOrgCache, readOrgSnapshot } from '../org-cache.js';
import type { Dispatcher } from '../dispatcher.js';
import { type Alongside, type InsertedRow, type OutgoingMessage, type QueuedMessage, outboxInsert, queuedRows, writeMessages } from '../outbox.js';
import { type ConversationState, conversationLock, conversationUpdate, lockConversation, lockedConversation } from './conversation.js';
import { converse } from './converse.js';
import { type FigureRow, type ReadAhead, dialogueFigures } from './dialogue-context.js';
import { type Reply, answerHelp } from './questions.js';

export interface ChatServiceOptions {
  prisma: Db;
  now: () => Date;
  dispatcher: Dispatcher;
  logger?: Logger;
  /** The organisation in memory; one of the service's own unless shared. */
  orgCache?: OrgCache;
  /**
   * The longest text one message holds, per channel (adapters' `maxTextLength`): a channel that says it
   * gets a turn's replies joined into as few messages as fit; one that does not, one message per reply.
   */
  textLimits?: ReadonlyMap<string, number>;
  /** The web dashboard's sign-in address for a link token, when the dashboard is served. */
  dashboardLink?: (token: string) => string;
}

// A transaction that met another one (a serialization failure or deadlock between replicas, a figure
// another member's message created or revised meanwhile) is handled again: it then sees the other's work.
const ATTEMPTS = 3;
// Reporters whose conversation a process holds between their turns (each its state and its section's figures
// of the year as JSON, a few KB): a county bureau's month-end is tens, a large organisation's a few thousand.
const HELD_CONVERSATIONS = 2_000;
// A stranger may only bind: no indicator is matched for them.
const STRANGER_MATCHER = createIntentMatcher([]);

/**
 * The chat's one entry point: a message from any channel is handled once (a redelivery is recognised by
 * its id), in one transaction with the member's conversation locked; every reply is written to the outbox
 * in that transaction, born claimed, and handed to the dispatcher from memory right after it commits:
 * `handle` resolves at commit, and `replied` when the replies are out.
 */
export function createChatService(options: ChatServiceOptions) {
  const { prisma, now, dispatcher, logger } = options;
  const orgCache = options.orgCache ?? createOrgCache();
  const held = createHeldConversations(HELD_CONVERSATIONS);

  async function handle(message: IncomingMessage): Promise<MessageOutcome> {
    message = { ...message, text: cleanIncomingText(message.text) };
    // In a group the bot speaks only when addressed; the rest of the group's talk is not for it.
    if (message.isGroup && !message.mentioned) return { replied: Promise.resolve() };
    const alone = aloneStatementOf(prisma);
    if (alone && !message.isGroup && message.kind !== 'unsupported') {
      const decided = await decideApart(message, alone).catch((thrown: unknown) => {
        throw translatePersistenceError(thrown);
      });
      if (decided) return decided;
    }
    for (let attempt = 1; ; attempt += 1) {
      try {
        // A director's message is a question, whose answer reads through Prisma: no transaction of its own first.
        const known = orgCache.latest()?.member(message.from);
        const prismaLikely = known !== undefined && !isReporter(known);
        const { rows, queued } = await transactionWithSql(prisma, (tx, sql) => handleIn(tx, sql, message), {
          timeout: 60_000,
          maxWait: 30_000,
          prismaLikely,
        });
        // Messages to other people (a 催报) go by the sweep, at their channel's pace behind any replies.
        const others = queued.length > 0 ? dispatcher.flush(queued) : Promise.resolve();
        return { replied: Promise.all([dispatcher.deliver(rows), others]).then(() => undefined) };
      } catch (thrown) {
        const error = translatePersistenceError(thrown);
        if (attempt >= ATTEMPTS || !(error instanceof AppError && error.code === 'write_conflict')) throw error;
        logger?.warn({ messageId: message.messageId, attempt }, 'conflict with another process; handling again');
      }
    }
  }

  async function handleIn(tx: Tx, sql: Sql, message: IncomingMessage): Promise<{ rows: QueuedMessage[]; queued: bigint[] }> {
    const at = now();
    // The member as the organisation in memory knows them: their conversation is locked in the first
    // statement already (one round trip less); should the organisation have changed meanwhile and the
    // message turn out to be someone else's, theirs is locked after.
    const private_ = !message.isGroup && message.kind !== 'unsupported';
    const known = private_ ? orgCache.latest() : undefined;
    const likely = known?.member(message.from);
    const lock = likely ? conversationLock(likely.id, at, 2) : undefined;
    // A reporter's dialogue figures of the current month, read ahead in the same statement (one round trip
    // less); used only if the turn finds the same organisation and nobody changed the conversation meanwhile.
    const ahead = known && likely && lock && isReporter(likely) ? readAheadOf(known, likely, at, 2 + lock.params.length) : undefined;
    // One statement: remember the message (a redelivery finds it there), learn the organisation's version.
    const [first] = await sql.query<FirstRow>(
      `WITH fresh AS (
         INSERT INTO processed_message (message_id, processed_at) VALUES ($1, $2::timestamptz)
         ON CONFLICT (message_id) DO NOTHING RETURNING 1)${lock ? `, locked AS (${lock.text})` : ''}
       SELECT (SELECT count(*) FROM fresh)::int AS fresh, (SELECT version::text FROM org_version WHERE id = 1) AS version
       ${lock ? ', (SELECT state FROM locked) AS state, (SELECT version FROM locked) AS conversation_version' : ''}
       ${
         ahead
           ? // $3 is the lock's first parameter: the member's id.
             `, (SELECT version FROM conversation WHERE member_id = $3::int) AS seen_version,
              ${figuresAsJson(ahead.statement.text)} AS figures`
           : ''
       }`,
      [message.messageId, at, ...(lock?.params ?? []), ...(ahead?.statement.params ?? [])],
    );
    if (!first?.fresh) {
      logger?.info({ messageId: message.messageId }, 'duplicate delivery ignored');
      return { rows: [], queued: [] };
    }
    const org = await orgCache.at(tx, BigInt(first.version ?? 0));
    const member = org.member(message.from);
    let replies: Reply[];
    let queued: bigint[] = [];
    let memberId: number | undefined;
    let save: Alongside | undefined;
    if (!member) {
      replies = await stranger(tx, message, at);
    } else if (message.isGroup) {
      // A group may hold people who must not see a section's figures: figures are given in private only.
      replies = [translator(member.locale)('chat.group_private_only')];
    } else if (message.kind === 'unsupported') {
      // A picture or a voice message is no answer to the dialogue's question, which stays where it was.
      replies = [translator(member.locale)('chat.text_only')];
    } else {
      memberId = member.id;
      const t = translator(member.locale);
      const locked =
        likely?.id === member.id && first.state !== undefined && first.conversation_version !== undefined
          ? lockedConversation({ state: first.state, version: first.conversation_version }, member.id)
          : await lockConversation(tx, member.id, at);
      const readAhead = ahead && org === known && likely?.id === member.id ? readAheadFrom(ahead.period, first) : undefined;
      const turn = await converse(
        { tx, now, member, t, indicators: org.indicators, org, dashboardLink: options.dashboardLink, readAhead },
        locked.state,
        message.text,
        message.channel,
      );
      // Saved in the statement that writes the replies.
      save = conversationUpdate(member.id, turn.state, { version: locked.version, chat: message.chat, now: at });
      replies = turn.replies;
      queued = turn.queued ?? [];
    }
    const messages = outgoingOf(message, replies, memberId);
    // The turn's last statement: its COMMIT may travel with it.
    return { rows: await writeMessages(tx, messages, at, dispatcher.birthClaim(at), save, { last: true }), queued };
  }

  /*
   * A reporter's turn is first decided outside any transaction (on the embedded database, whose one
   * connection a transaction holds from its first statement to its COMMIT, and on a server, where it would
   * hold a connection and the conversation's row): one statement reads what the turn needs (the
   * conversation, the organisation's version, the month's figures) — none when this process holds the
   * conversation as its last turn of the member wrote it — the turn is decided in JavaScript meanwhile other
   * turns' statements run, and one statement writes it — the message remembered, the conversation saved (or
   * created), a report's figures, the replies — only if nothing changed in between: the message not handled
   * yet, the conversation at the version read, the organisation at the version decided with, the report's
   * figures as read, and the month's figures as held. A held conversation found out of date is read and the
   * turn decided again. A turn that needs more (a question that reads, a correction) or whose write finds a
   * change after a read is handled as before, in a transaction, and the log says why. Undefined then; the
   * outcome otherwise.
   */
  async function decideApart(message: IncomingMessage, alone: AloneStatement, useHeld = true): Promise<MessageOutcome | undefined> {
    const org = orgCache.latest();
    const member = org?.member(message.from);
    if (!org || !member || !isReporter(member)) return undefined;
    const inTransaction = (reason: string) => {
      held.delete(member.id);
      logger?.debug({ messageId: message.messageId, reason }, 'turn handled in a transaction');
      return undefined;
    };
    const at = now();
    const ahead = readAheadOf(org, member, at, 2);
    // The conversation and figures as this process's last turn of the member left them, if it holds them
    // for this organisation and month: then the turn is decided at once, and its write checks them.
    const kept = useHeld ? held.get(member.id) : undefined;
    const heldNow = kept && kept.orgVersion === org.version && comparePeriods(kept.period, ahead.period) === 0 ? kept : undefined;
    // Held: the conversation as the last turn left it (parsed then), its figures as read then.
    let start: { conversation: { state: ConversationState; version: number }; first: boolean; figures: string; rows: FigureRow[] };
    if (heldNow) {
      start = { conversation: { state: heldNow.state, version: heldNow.version }, first: false, figures: heldNow.figures, rows: heldNow.rows };
    } else {
      const [read] = await alone<ApartRow>(
        `SELECT EXISTS (SELECT 1 FROM processed_message WHERE message_id = $1) AS handled,
           (SELECT version::text FROM org_version WHERE id = 1) AS version,
           (SELECT state::text FROM conversation WHERE member_id = $2::int) AS state,
           (SELECT version FROM conversation WHERE member_id = $2::int) AS conversation_version,
           ${figuresAsJson(ahead.statement.text)} AS figures`,
        [message.messageId, member.id, ...ahead.statement.params],
      );
      if (read?.handled) {
        logger?.info({ messageId: message.messageId }, 'duplicate delivery ignored');
        return { replied: Promise.resolve() };
      }
      if (!read || read.version !== String(org.version)) return inTransaction('organisation changed');
      // A member's first message finds no conversation: it is created with the turn's own.
      const first = read.state === null || read.conversation_version === null;
      start = {
        conversation: lockedConversation(first ? undefined : { state: read.state!, version: read.conversation_version! }, member.id),
        first,
        figures: read.figures,
        rows: JSON.parse(read.figures) as FigureRow[],
      };
    }
    const { conversation, first } = start;
    const without = noTransaction();
    // A report's first figures (确认): read now, stored with the turn's write if nothing changed meanwhile.
    let figures: FirstFiguresRead | undefined;
    const recordFirst = async (input: FirstFigures): Promise<FirstFiguresOutcome> => {
      if (figures) return without.refuse();
      figures = await readFirstFigures(alone, input);
      return figures.outcome;
    };
    let turn: Awaited<ReturnType<typeof converse>>;
    try {
      turn = await converse(
        {
          tx: without.tx,
          now,
          member,
          t: translator(member.locale),
          indicators: org.indicators,
          org,
          dashboardLink: options.dashboardLink,
          readAhead: { period: ahead.period, rows: start.rows },
          recordFirst,
        },
        conversation.state,
        message.text,
        message.channel,
      );
    } catch (error) {
      if (without.reached()) return inTransaction('needs the database');
      throw error;
    }
    if (without.reached()) return inTransaction('needs the database');
    if ((turn.queued?.length ?? 0) > 0 || turn.replies.length === 0) return inTransaction('sends more than replies');
    const messages = outgoingOf(message, turn.replies, member.id);
    const save = conversationUpdate(member.id, turn.state, { version: conversation.version, chat: message.chat, now: at });
    // The conversation's update takes $1–$5; the message and the versions read follow, then the replies.
    const params = [...save.params, message.messageId, at, conversation.version, org.version.toString()];
    // The figures stored only if those of their indicators are as they were read.
    const sameFigures = figures ? ` AND ${figures.fingerprint(params)} = $${params.push(figures.seen)}` : '';
    // Figures held from an earlier turn are checked as they stand now (a figure read now is not).
    let sameHeld = '';
    if (heldNow) {
      const again = readAheadOf(org, member, at, params.length);
      params.push(...again.statement.params);
      sameHeld = ` AND ${figuresAsJson(again.statement.text)} = $${params.push(heldNow.figures)}`;
    }
    const claim = dispatcher.birthClaim(at);
    // Everything after the conversation's save is written only with it (through what each returns): on a
    // server, a turn of the same member that commits while this statement runs holds the conversation's row
    // until then, and the save, which re-reads the row after waiting, then finds another version and writes
    // nothing. A figure or a message id taken meanwhile fails the statement as a whole (a unique key).
    const written = 'EXISTS (SELECT 1 FROM remembered)';
    const store = figures ? `, ${firstFiguresWrite(figures.input, params, written).ctes}` : '';
    const insert = outboxInsert(messages, at, claim, params, written);
    let inserted: InsertedRow[];
    try {
      inserted = await alone<InsertedRow>(
        `WITH unchanged AS (
           SELECT 1 WHERE NOT EXISTS (SELECT 1 FROM processed_message WHERE message_id = $6)
             AND (SELECT version FROM org_version WHERE id = 1) = $9::bigint${sameFigures}${sameHeld}),
         saved AS (${
           // The update's text ends with its WHERE clause (conversationUpdate): the conditions are added to it.
           first
             ? `INSERT INTO conversation (member_id, state, version, last_chat, updated_at)
                SELECT $5::int, $1::jsonb, $2::int, $3, $4::timestamptz FROM unchanged WHERE $8::int = 0
                ON CONFLICT (member_id) DO NOTHING RETURNING 1`
             : `${save.text} AND version = $8::int AND EXISTS (SELECT 1 FROM unchanged) RETURNING 1`
         }),
         remembered AS (INSERT INTO processed_message (message_id, processed_at) SELECT $6, $7::timestamptz FROM saved RETURNING 1)${store}
         ${insert}`,
        params,
      );
    } catch (error) {
      if (persistenceErrorCode(error) !== 'write_conflict') throw error;
      inserted = [];
    }
    // Nothing written: something changed since the read (or since the turn held). Held: decided again on
    // what is read now; else handled as before, in a transaction, seeing the change.
    if (inserted.length === 0) {
      if (heldNow) {
        held.delete(member.id);
        logger?.debug({ messageId: message.messageId, reason: 'changed meanwhile' }, 'held conversation out of date; turn decided again');
        return decideApart(message, alone, false);
      }
      return inTransaction('changed meanwhile');
    }
    // Held for the member's next turn, unless this one stored figures (theirs would be read again).
    if (figures) held.delete(member.id);
    else held.set(member.id, { orgVersion: org.version, period: ahead.period, state: turn.state, version: conversation.version + 1, figures: start.figures, rows: start.rows });
    logger?.debug({ messageId: message.messageId, held: heldNow !== undefined }, 'turn decided outside a transaction');
    const rows = queuedRows(messages, inserted, at, claim);
    return { replied: dispatcher.deliver(rows) };
  }

  /** A turn's replies as the outbox's messages: joined into as few as the channel's text limit allows. */
  function outgoingOf(message: IncomingMessage, replies: Reply[], memberId: number | undefined): OutgoingMessage[] {
    const limit = options.textLimits?.get(message.channel);
    return (limit ? joinReplies(replies, limit) : replies).map((reply) => outgoing(message, reply, memberId));
  }

  /** Someone not bound: a valid invite code binds them; anyone else learns nothing. */
  async function stranger(tx: Tx, message: IncomingMessage, at: Date): Promise<Reply[]> {
    const t = translator('zh-CN');
    const intent = STRANGER_MATCHER.classify(message.text, { year: 2000, month: 1 });
    if (intent.kind !== 'bind' || message.isGroup) {
      logger?.info({ from: message.from, channel: message.channel }, 'message from a stranger refused');
      return [t('chat.stranger')];
    }
    const result = await redeemInviteIn(tx, { code: intent.code, identity: message.from }, at);
    if (!result.ok) return [t(result.error === 'too_many' ? 'limits.bind_too_many' : `chat.bind_${result.error}`)];
    // The binding is not committed yet: this snapshot is read for this answer only, never kept.
    const org = await readOrgSnapshot(tx);
    const member = org.member(message.from);
    if (!member) return [t('chat.bind_unknown_code')];
    const own = translator(member.locale);
    const help = await answerHelp({ tx, now, member, t: own, indicators: org.indicators, org }, false);
    // The help that follows greets them by name: the welcome only says the binding is done.
    return [own('chat.bind_welcome'), ...help];
  }

  return { handle };
}

/** A reporter's conversation and figures as this process's last turn of theirs wrote and read them. */
interface HeldConversation {
  orgVersion: bigint;
  period: Period;
  /** The conversation as the turn stored it (not read back: this process wrote it) and its version. */
  state: ConversationState;
  version: number;
  /** The dialogue's figures of `period`, as read (`figuresAsJson`), and parsed. */
  figures: string;
  rows: FigureRow[];
}

/** The conversations held, the least recently written let go beyond `limit`. */
function createHeldConversations(limit: number) {
  const held = new Map<number, HeldConversation>();
  return {
    get: (memberId: number) => held.get(memberId),
    set(memberId: number, conversation: HeldConversation) {
      held.delete(memberId);
      held.set(memberId, conversation);
      if (held.size > limit) held.delete(held.keys().next().value!);
    },
    delete: (memberId: number) => held.delete(memberId),
  };
}

/** What a turn decided outside a transaction reads first. */
interface ApartRow {
  handled: boolean;
  version: string | null;
  state: string | null;
  conversation_version: number | null;
  figures: string;
}

interface FirstRow {
  fresh: number;
  version: string | null;
  state?: string;
  conversation_version?: number;
  /** The conversation's version in the statement's snapshot, before its lock was waited for. */
  seen_version?: number | null;
  figures?: string;
}

/** The dialogue's figures of the member's current month, as a part of the turn's first statement. */
function readAheadOf(org: OrgSnapshot, member: Member, at: Date, offset: number) {
  const period = currentPeriod(at, org.organisation().timezone, org.schedule(member.sectionKey));
  return { period, statement: dialogueFigures(member, period, org.indicators, org.organisation().checks, offset) };
}

/**
 * The dialogue's figures (`dialogueFigures`' statement) as one JSON text of `FigureRow`s, to read within
 * another statement; in one order, so that the same figures are the same text.
 */
function figuresAsJson(statement: string): string {
  return `(SELECT coalesce(json_agg(json_build_object('indicator_id', f.indicator_id, 'year', f.year, 'month', f.month,
    'value', f.value, 'note', f.note, 'queried', f.queried) ORDER BY f.indicator_id, f.year, f.month), '[]')::text FROM (${statement}) f)`;
}

/**
 * The figures read ahead, if they are as the turn would read them now: the statement's snapshot was taken
 * before it waited for the conversation's lock, so a turn of the same member that committed meanwhile
 * (its figures, its conversation) shows as a version other than the one locked; then they are read again.
 */
function readAheadFrom(period: Period, first: FirstRow): ReadAhead | undefined {
  if (first.figures === undefined || first.conversation_version === undefined) return undefined;
  const unchanged = first.seen_version === first.conversation_version || (first.seen_version === null && first.conversation_version === 0);
  return unchanged ? { period, rows: JSON.parse(first.figures) as FigureRow[] } : undefined;
}

/**
 * A turn's replies as few messages as they fit in: consecutive texts joined by a blank line, as separate
 * bubbles would read, while the whole stays within `limit`; a file goes on its own. Fewer messages mean
 * less waiting on a chat's pace (Telegram's second message to a chat goes a second after the first).
 */
export function joinReplies(replies: Reply[], limit: number): Reply[] {
  const joined: Reply[] = [];
  for (const reply of replies) {
    const last = joined.at(-1);
    if (typeof reply === 'string' && typeof last === 'string' && last.length + 2 + reply.length <= limit) {
      joined[joined.length - 1] = `${last}\n\n${reply}`;
    } else {
      joined.push(reply);
    }
  }
  return joined;
}

function outgoing(message: IncomingMessage, reply: Reply, memberId: number | undefined): OutgoingMessage {
  const base = { channel: message.channel, chat: message.chat, memberId, kind: 'reply' };
  return typeof reply === 'string' ? { ...base, text: reply } : { ...base, text: reply.caption, file: reply.file };
}
