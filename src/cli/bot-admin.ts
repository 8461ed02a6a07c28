// The running bot's side of `npm run cli` and `npm run chat` on the embedded database (see admin-socket.ts).
import type { TerminalHub } from '../channels/terminal/terminal-hub.js';
import { translator } from '../core/i18n.js';
import type { Db } from '../db/database.js';
import type { Logger } from '../logger.js';
import { adminSocketPath, serveAdminCommands } from './admin-socket.js';
import { chatMemberKey, chatSession } from './chat.js';
import { runCli } from './run.js';

export interface BotAdminOptions {
  dataDir: string;
  prisma: Db;
  now: () => Date;
  /** The bot's terminal channel, which the terminal chats that reach it join. */
  terminal: TerminalHub;
  logger?: Logger;
}

/** Serves the CLI's commands and terminal chats in the bot; undefined when it cannot listen (logged). */
export async function startBotAdmin(options: BotAdminOptions): Promise<{ close(): Promise<void> } | undefined> {
  const { prisma, now, logger } = options;
  const socketPath = adminSocketPath(options.dataDir);
  try {
    const socket = await serveAdminCommands(
      socketPath,
      {
        command: (request, io) => runCli(request.argv, { io, cwd: request.cwd, database: prisma, now }),
        async chat(request, session) {
          const memberKey = chatMemberKey(request.argv);
          if (!memberKey) {
            session.error.write(`${translator('zh-CN')('chat.terminal_usage')}\n`);
            return 2;
          }
          return chatSession({ prisma, now }, options.terminal, { memberKey, ...session, dataDir: options.dataDir });
        },
      },
      logger,
    );
    logger?.info({ socket: socketPath }, 'npm run cli and npm run chat reach this bot through its socket');
    // An open terminal chat is in the product's language: who typed in it is not known here.
    return { close: () => socket.close(translator('zh-CN')('cli.bot_stopping')) };
  } catch (error) {
    // A folder whose path is too long for a socket, say: the bot runs on; the CLI must wait for it to stop.
    logger?.warn({ err: error, socket: socketPath }, 'cannot listen for npm run cli and npm run chat; stop the bot to run them');
    return undefined;
  }
}
