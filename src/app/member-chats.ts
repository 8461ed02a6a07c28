import type { Db, Tx } from '../db/database.js';

/*
 * Where the bot reaches a member on its own initiative (a reminder, a 催报, the bulletin): the chat they
 * last wrote from while it is still bound to them, else their first bound account. Never a chat that
 * exists only while someone has it open — the terminal chat (`terminal:`) and the dashboard's simulator
 * (`web:`): nothing can wait for those, nor go there instead of the member's own chat.
 */

/** The chat to reach a member on, from their bindings (oldest first) and the chat they last wrote from. */
export function reachableChat(bound: readonly string[], lastChat: string | null | undefined): string | undefined {
  const lasting = bound.filter((chat) => !chat.startsWith('terminal:') && !chat.startsWith('web:'));
  return lastChat && lasting.includes(lastChat) ? lastChat : lasting[0];
}

/** Where to reach each of these members, by key; a member with no lasting chat is absent. */
export async function chatsOf(db: Db | Tx, memberKeys: readonly string[]): Promise<Map<string, string>> {
  const rows = await db.member.findMany({
    where: { key: { in: [...new Set(memberKeys)] } },
    select: {
      key: true,
      conversation: { select: { lastChat: true } },
      identities: { orderBy: { boundAt: 'asc' }, select: { identity: true } },
    },
  });
  const chats = new Map<string, string>();
  for (const row of rows) {
    const chat = reachableChat(row.identities.map((identity) => identity.identity), row.conversation?.lastChat);
    if (chat) chats.set(row.key, chat);
  }
  return chats;
}
