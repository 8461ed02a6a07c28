import type { Db, Tx } from '../db/database.js';
import { sqlOf, textArray } from '../db/sql.js';

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
  // One statement with one array parameter: a round asks for thousands of members every minute.
  const rows = await sqlOf(db).query<{ key: string; last_chat: string | null; identities: string }>(
    `SELECT m.key, c.last_chat,
            (SELECT coalesce(json_agg(i.identity ORDER BY i.bound_at, i.id), '[]')::text FROM chat_identity i WHERE i.member_id = m.id) AS identities
     FROM member m LEFT JOIN conversation c ON c.member_id = m.id
     WHERE m.key = ANY($1::text[])`,
    [textArray([...new Set(memberKeys)])],
  );
  const chats = new Map<string, string>();
  for (const row of rows) {
    const chat = reachableChat(JSON.parse(row.identities) as string[], row.last_chat);
    if (chat) chats.set(row.key, chat);
  }
  return chats;
}
