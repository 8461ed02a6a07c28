import type { IncomingMessage } from '../../channels/port.js';
import { createIntentMatcher } from '../../core/intents.js';
import { translator } from '../../core/i18n.js';
import type { Db, Tx } from '../../db/database.js';
import { listIndicators } from '../../db/org-repository.js';
import type { Logger } from '../../logger.js';
import { redeemInviteIn } from '../invites.js';
import { type Dispatcher, type OutgoingMessage, enqueueMessages } from '../outbox.js';
import { lockConversation, saveConversation } from './conversation.js';
import { converse } from './converse.js';
import { memberByIdentity } from './member.js';
import { type Reply, answerHelp } from './questions.js';

export interface ChatServiceOptions {
  prisma: Db;
  now: () => Date;
  dispatcher: Dispatcher;
  logger?: Logger;
}

// Serialisation failures and deadlocks between replicas are retried: the message is simply handled again.
const RETRYABLE = /40001|40P01|could not serialize|deadlock detected|P2034/;
// So is a figure that another member's message created (P2002) or revised (conflict) meanwhile: handled
// again, the message sees it and adds a revision instead.
const RETRYABLE_CODES = new Set(['P2002', 'P2034', 'conflict']);
const ATTEMPTS = 3;

/**
 * The chat's one entry point: a message from any channel is handled once (a redelivery is recognised by
 * its id), in one transaction with the member's conversation locked; every reply is written to the outbox
 * in that transaction and sent right after it commits.
 */
export function createChatService(options: ChatServiceOptions) {
  const { prisma, now, dispatcher, logger } = options;

  async function handle(message: IncomingMessage): Promise<void> {
    // In a group the bot speaks only when addressed; the rest of the group's talk is not for it.
    if (message.isGroup && !message.mentioned) return;
    for (let attempt = 1; ; attempt += 1) {
      try {
        const ids = await prisma.$transaction((tx) => handleIn(tx, message), { timeout: 60_000, maxWait: 30_000 });
        if (ids.length > 0) await dispatcher.flush(ids);
        return;
      } catch (error) {
        if (attempt >= ATTEMPTS || !retryable(error)) throw error;
        logger?.warn({ messageId: message.messageId, attempt }, 'conflict with another process; handling again');
      }
    }
  }

  async function handleIn(tx: Tx, message: IncomingMessage): Promise<bigint[]> {
    const at = now();
    const fresh = await tx.$executeRaw`
      INSERT INTO processed_message (message_id, processed_at) VALUES (${message.messageId}, ${at})
      ON CONFLICT (message_id) DO NOTHING`;
    if (fresh === 0) {
      logger?.info({ messageId: message.messageId }, 'duplicate delivery ignored');
      return [];
    }
    const member = await memberByIdentity(tx, message.from);
    let replies: Reply[];
    let memberId: number | undefined;
    if (!member) {
      replies = await stranger(tx, message, at);
    } else if (message.isGroup) {
      // A group may hold people who must not see a section's figures: figures are given in private only.
      replies = [translator(member.locale)('chat.group_private_only')];
    } else {
      memberId = member.id;
      const t = translator(member.locale);
      const { state, version } = await lockConversation(tx, member.id, at);
      const indicators = await listIndicators(tx);
      const turn = await converse({ tx, now, member, t, indicators }, state, message.text, message.channel);
      await saveConversation(tx, member.id, turn.state, { version, chat: message.chat, now: at });
      replies = turn.replies;
    }
    return enqueueMessages(tx, replies.map((reply) => outgoing(message, reply, memberId)), at);
  }

  /** Someone not bound: a valid invite code binds them; anyone else learns nothing. */
  async function stranger(tx: Tx, message: IncomingMessage, at: Date): Promise<Reply[]> {
    const t = translator('zh-CN');
    const intent = createIntentMatcher([]).classify(message.text, { year: 2000, month: 1 });
    if (intent.kind !== 'bind' || message.isGroup) {
      logger?.info({ from: message.from, channel: message.channel }, 'message from a stranger refused');
      return [t('chat.stranger')];
    }
    const result = await redeemInviteIn(tx, { code: intent.code, identity: message.from }, at);
    if (!result.ok) return [t(`chat.bind_${result.error}`)];
    const member = await memberByIdentity(tx, message.from);
    if (!member) return [t('chat.bind_unknown_code')];
    const own = translator(member.locale);
    const help = await answerHelp({ tx, now, member, t: own, indicators: await listIndicators(tx) }, false);
    return [own('chat.bind_welcome', { name: member.name }), ...help];
  }

  return { handle };
}

function retryable(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  return (typeof code === 'string' && RETRYABLE_CODES.has(code)) || RETRYABLE.test(String((error as Error)?.message ?? error));
}

function outgoing(message: IncomingMessage, reply: Reply, memberId: number | undefined): OutgoingMessage {
  const base = { channel: message.channel, chat: message.chat, memberId, kind: 'reply' };
  return typeof reply === 'string' ? { ...base, text: reply } : { ...base, text: reply.caption, file: reply.file };
}
