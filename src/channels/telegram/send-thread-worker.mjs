// The Telegram send thread (see send-thread.ts): calls the Bot API with telegraf for the main thread.
// Plain JavaScript, so that a worker thread loads it without the TypeScript loader the process runs with.
import { parentPort, workerData } from 'node:worker_threads';
import { Telegram, TelegramError } from 'telegraf';

/** @type {{ token: string; apiRoot?: string }} */
const settings = workerData;
const telegram = new Telegram(settings.token, settings.apiRoot ? { apiRoot: settings.apiRoot } : {});

/**
 * @param {{ id: number; chatId: number; text?: string; file?: { content: Uint8Array; name: string; caption?: string } }} request
 */
async function send(request) {
  if (request.file) {
    const { content, name, caption } = request.file;
    await telegram.sendDocument(request.chatId, { source: Buffer.from(content), filename: name }, caption ? { caption } : {});
  } else {
    await telegram.sendMessage(request.chatId, request.text ?? '');
  }
}

parentPort?.on('message', (request) => {
  send(request).then(
    () => parentPort?.postMessage({ id: request.id, ok: true }),
    (err) =>
      parentPort?.postMessage({
        id: request.id,
        ok: false,
        // A Bot API refusal keeps its response (code, description, retry_after); anything else its text.
        ...(err instanceof TelegramError ? { response: err.response } : { message: err instanceof Error ? err.message : String(err) }),
      }),
  );
});
