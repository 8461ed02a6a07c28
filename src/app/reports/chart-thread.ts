import { Worker } from 'node:worker_threads';

/** One chart to draw: echarts' option (plain data), the size in pixels, and resvg's options. */
export interface ChartJob {
  option: object;
  width: number;
  height: number;
  resvg: object;
}

interface Pending {
  resolve: (png: Buffer) => void;
  reject: (error: Error) => void;
}

type Answer = { id: number; png: Uint8Array } | { id: number; error: string };

// The thread stops after this long without a chart, so an idle bot keeps no echarts and no second heap.
const IDLE_MS = 30_000;

let worker: Worker | undefined;
let idleTimer: NodeJS.Timeout | undefined;
let nextId = 1;
const pending = new Map<number, Pending>();

/*
 * Charts are drawn on a thread of their own (`chart-worker.mjs`). Loading echarts compiles about a
 * megabyte of JavaScript in one piece and drawing a chart of a large organisation takes a second: on the
 * main thread that held up every chat's turn and send meanwhile (the bulletin pushed at a deadline stalled
 * the event loop for up to half a second in the middle of a reminder round). The thread starts with the
 * first chart and stops after half a minute without one; while a chart is under way it keeps the process
 * alive, and never otherwise.
 */
export function drawChartPng(job: ChartJob): Promise<Buffer> {
  clearTimeout(idleTimer);
  worker ??= start();
  worker.ref();
  const id = nextId++;
  const thread = worker;
  return new Promise<Buffer>((resolve, reject) => {
    pending.set(id, { resolve, reject });
    thread.postMessage({ id, ...job });
  });
}

function start(): Worker {
  const thread = new Worker(new URL('./chart-worker.mjs', import.meta.url), {
    // The process's own flags (its TypeScript loader) are not the thread's: it runs plain JavaScript.
    execArgv: [],
  });
  thread.on('message', (answer: Answer) => settle(answer));
  thread.on('error', (error) => stopped(thread, error));
  thread.on('exit', (code) => stopped(thread, new Error(`the chart thread exited with code ${code}`)));
  return thread;
}

function settle(answer: Answer): void {
  const call = pending.get(answer.id);
  if (!call) return;
  pending.delete(answer.id);
  if ('png' in answer) call.resolve(Buffer.from(answer.png.buffer, answer.png.byteOffset, answer.png.byteLength));
  else call.reject(new Error(`the chart could not be drawn: ${answer.error}`));
  if (pending.size === 0) idle();
}

// A thread that failed or exited fails what it had under way; the next chart starts a new one.
function stopped(thread: Worker, error: Error): void {
  if (worker !== thread) return;
  worker = undefined;
  clearTimeout(idleTimer);
  const calls = [...pending.values()];
  pending.clear();
  for (const call of calls) call.reject(error);
}

function idle(): void {
  worker?.unref();
  clearTimeout(idleTimer);
  idleTimer = setTimeout(() => {
    const thread = worker;
    if (!thread || pending.size > 0) return;
    worker = undefined;
    void thread.terminate();
  }, IDLE_MS);
  idleTimer.unref();
}
