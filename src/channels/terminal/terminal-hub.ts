import type { Readable, Writable } from 'node:stream';
import { ChannelError } from '../../app/channel-errors.js';
import type { ChannelAdapter, MessageHandler, OutgoingFile } from '../../app/port.js';
import { createTerminalAdapter } from './terminal-adapter.js';

export interface TerminalSession {
  memberKey: string;
  input: Readable;
  output: Writable;
  /** Where a file the bot sends is saved; its path is printed. */
  saveFile?: (file: OutgoingFile) => Promise<string>;
}

export type TerminalHub = ChannelAdapter & {
  /** Opens a terminal chat as the member; `done` resolves when its input has ended and every line was handled. */
  open(session: TerminalSession): { done: Promise<void> };
};

/**
 * The terminal channel: any number of terminal chats at once (a running bot serves every `npm run chat`
 * that reaches it), each its member's `terminal:<key>`, answers routed to the chat they are for. A member
 * who opens a second terminal chat gets the answers there; a closed one gets nothing more.
 */
export function createTerminalHub(): TerminalHub {
  const sessions = new Map<string, ChannelAdapter & { done: Promise<void> }>();
  let handler: MessageHandler | undefined;

  function sessionOf(chat: string) {
    const session = sessions.get(chat);
    // Nobody is reading any more: retrying cannot help.
    if (!session) throw new ChannelError('terminal', `no terminal chat is open for ${chat}`, { permanent: true });
    return session;
  }

  return {
    name: 'terminal',
    async start(onMessage) {
      handler = onMessage;
    },
    async stop() {
      await Promise.all([...sessions.values()].map((session) => session.stop()));
      sessions.clear();
    },
    open(options) {
      if (!handler) throw new Error('the terminal channel is not started');
      const identity = `terminal:${options.memberKey}`;
      const session = createTerminalAdapter(options);
      sessions.set(identity, session);
      void session.start(handler);
      void session.done.then(() => {
        if (sessions.get(identity) === session) sessions.delete(identity);
      });
      return { done: session.done };
    },
    async sendText(chat, text) {
      await sessionOf(chat).sendText(chat, text);
    },
    async sendFile(chat, file) {
      await sessionOf(chat).sendFile?.(chat, file);
    },
  };
}
