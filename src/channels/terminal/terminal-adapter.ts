import { randomUUID } from 'node:crypto';
import { createInterface } from 'node:readline';
import type { Readable, Writable } from 'node:stream';
import type { ChannelAdapter, MessageHandler, OutgoingFile } from '../../app/port.js';

export interface TerminalAdapterOptions {
  /** The member the terminal speaks as; the identity is `terminal:<memberKey>`. */
  memberKey: string;
  input: Readable;
  output: Writable;
  /** Where a file the bot sends is saved; its path is printed. */
  saveFile?: (file: OutgoingFile) => Promise<string>;
  /** Shown before each line the person types (when the input is a terminal). */
  prompt?: string;
}

/**
 * A chat in the terminal, for administrators and for trying the bot without a chat app: each line typed
 * is a message, each answer is printed. `done` resolves when the input ends and every line was handled.
 */
export function createTerminalAdapter(options: TerminalAdapterOptions): ChannelAdapter & { done: Promise<void> } {
  const identity = `terminal:${options.memberKey}`;
  const session = randomUUID().slice(0, 8);
  let counter = 0;
  let finish: () => void = () => {};
  const done = new Promise<void>((resolve) => (finish = resolve));
  let reader: ReturnType<typeof createInterface> | undefined;

  const write = (text: string) =>
    new Promise<void>((resolve) => {
      options.output.write(`${text}\n`, () => resolve());
    });

  return {
    name: 'terminal',
    done,
    async start(onMessage: MessageHandler) {
      reader = createInterface({ input: options.input, terminal: false });
      // Lines are handled one at a time, in order, as a person types them.
      let queue = Promise.resolve();
      reader.on('line', (line) => {
        const text = line.trim();
        if (text === '') return;
        counter += 1;
        const message = {
          channel: 'terminal',
          messageId: `terminal:${session}:${counter}`,
          from: identity,
          chat: identity,
          isGroup: false,
          mentioned: false,
          text,
          receivedAt: new Date(),
        };
        // The next line waits for this one's replies, so that answers print in the order lines were typed.
        queue = queue.then(async () => (await onMessage(message))?.replied);
      });
      reader.on('close', () => {
        void queue.then(finish);
      });
    },
    async stop() {
      reader?.close();
    },
    async sendText(_chat, text) {
      await write(text);
    },
    async sendFile(_chat, file) {
      const where = options.saveFile ? await options.saveFile(file) : file.name;
      await write(`${file.caption ? `${file.caption}\n` : ''}📎 ${where}`);
    },
  };
}
