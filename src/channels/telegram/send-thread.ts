import { Worker } from 'node:worker_threads';
import { TelegramError } from 'telegraf';
import type { OutgoingFile } from '../../app/port.js';

/** Sends to Telegram: a text or a file to one chat; rejects as telegraf would (a `TelegramError`, or another error). */
export interface TelegramSender {
  sendMessage(chatId: number, text: string): Promise<void>;
  sendDocument(chatId: number, file: OutgoingFile): Promise<void>;
  /** Stops the thread; a send still under way is rejected. */
  close(): Promise<void>;
}

export interface SendThreadOptions {
  token: string;
  apiRoot?: string;
  /** The thread stops after this long without a send and starts again with the next one (default a minute). */
  idleMs?: number;
}

interface Pending {
  resolve: () => void;
  reject: (error: unknown) => void;
  method: string;
  chatId: number;
}

type Answer = { id: number; ok: true } | { id: number; ok: false; response?: ConstructorParameters<typeof TelegramError>[0]; message?: string };

/*
 * The Bot API calls, telegraf's HTTP client and its JSON, run on a thread of their own. On the deadline
 * morning the main thread is the bot's bottleneck — every turn's statements, the dialogue, the pacing —
 * and a send there cost about as much as a turn's database round trip; on its own thread it costs the
 * main thread a message each way. The thread starts with the first send and stops after a minute
 * without one, so an idle bot keeps no second heap. Each chat's order is the dispatcher's (one send at a
 * time per chat); the thread answers each request by its id, in whatever order the Bot API answers.
 */
export function createSendThread(options: SendThreadOptions): TelegramSender & { /** Whether the thread is up. */ running(): boolean } {
  const idleMs = options.idleMs ?? 60_000;
  let worker: Worker | undefined;
  let idleTimer: NodeJS.Timeout | undefined;
  let nextId = 1;
  let closed = false;
  const pending = new Map<number, Pending>();

  function start(): Worker {
    const thread = new Worker(new URL('./send-thread-worker.mjs', import.meta.url), {
      workerData: { token: options.token, apiRoot: options.apiRoot },
      // The process's own flags (its TypeScript loader) are not the thread's: it runs plain JavaScript.
      execArgv: [],
    });
    thread.on('message', (answer: Answer) => settle(answer));
    thread.on('error', (error) => stopped(thread, error));
    thread.on('exit', (code) => stopped(thread, new Error(`the Telegram send thread exited with code ${code}`)));
    return thread;
  }

  function settle(answer: Answer): void {
    const call = pending.get(answer.id);
    if (!call) return;
    pending.delete(answer.id);
    if (answer.ok) call.resolve();
    else if (answer.response) call.reject(new TelegramError(answer.response, { method: call.method, payload: { chat_id: call.chatId } }));
    else call.reject(new Error(answer.message ?? 'send failed'));
    if (pending.size === 0) idle();
  }

  // Whatever the thread had under way may or may not have reached Telegram: it fails as a network error
  // would, and the dispatcher retries it.
  function stopped(thread: Worker, error: Error): void {
    if (worker !== thread) return;
    worker = undefined;
    clearTimeout(idleTimer);
    const calls = [...pending.values()];
    pending.clear();
    for (const call of calls) call.reject(error);
  }

  // Nothing under way: the thread no longer keeps the process alive, and stops if nothing follows.
  function idle(): void {
    worker?.unref();
    clearTimeout(idleTimer);
    idleTimer = setTimeout(() => {
      const thread = worker;
      if (!thread || pending.size > 0) return;
      worker = undefined;
      void thread.terminate();
    }, idleMs);
    idleTimer.unref();
  }

  function call(method: string, chatId: number, request: { text?: string; file?: OutgoingFile }): Promise<void> {
    if (closed) return Promise.reject(new Error('the Telegram send thread was closed'));
    clearTimeout(idleTimer);
    worker ??= start();
    worker.ref();
    const id = nextId++;
    const thread = worker;
    return new Promise<void>((resolve, reject) => {
      pending.set(id, { resolve, reject, method, chatId });
      thread.postMessage({ id, chatId, ...request });
    });
  }

  return {
    sendMessage: (chatId, text) => call('sendMessage', chatId, { text }),
    sendDocument: (chatId, file) => call('sendDocument', chatId, { file }),
    running: () => worker !== undefined,
    async close() {
      closed = true;
      clearTimeout(idleTimer);
      const thread = worker;
      if (!thread) return;
      stopped(thread, new Error('the Telegram send thread was closed'));
      await thread.terminate();
    },
  };
}
