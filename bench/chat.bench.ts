// `npm run bench`: how fast the product answers, on this machine, with the embedded database.
// Prints the machine, then: answer parsing and question matching (pure core), and whole chat turns
// (a message in → transaction → dialogue or question → outbox → sent) with their latency and memory.
import { performance } from 'node:perf_hooks';
import { loadDemoFigures } from '../src/app/demo-data.js';
import { startChatRuntime } from '../src/app/chat/runtime.js';
import { loadOrgFile } from '../src/app/startup.js';
import { createIntentMatcher } from '../src/core/intents.js';
import { parseAnswer } from '../src/core/numbers.js';
import { openDatabase } from '../src/db/database.js';
import { listIndicators } from '../src/db/org-repository.js';
import { machine, machineLine } from './machine.js';
import { silentChannel } from './silent-channel.js';

const ANSWERS = ['19.6亿', '两千三百万', '1,960,000,000元', '3家 博昇乐、创睿极光', '十九点六亿', '0.5%', '196000万'];
const QUESTIONS = ['技改完成率', '2020年工业投资', '总体进度', '谁还没报', "what's our tech-upgrade completion", '9月工业投资'];

function rate(label: string, count: number, run: () => void): void {
  const start = performance.now();
  for (let i = 0; i < count; i += 1) run();
  const ms = performance.now() - start;
  console.log(`${label.padEnd(34)} ${Math.round((count / ms) * 1000).toLocaleString('en')} /s  (${((ms * 1000) / count).toFixed(1)} µs each)`);
}

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? 0;
}

async function main(): Promise<void> {
  const info = machine();
  console.log(`machine: ${machineLine(info)}, ${info.platform}`);

  const database = await openDatabase({ dataDir: 'memory://' });
  const now = () => new Date('2026-11-25T02:00:00Z');
  const deps = { prisma: database.prisma, now };
  await loadOrgFile(deps, {}, 'bench');
  await loadDemoFigures(deps, 'bench');
  const indicators = await listIndicators(database.prisma);
  const unit = indicators.find((indicator) => indicator.key === 'industrial_investment')!.unit;
  rate('parseAnswer', 100_000, () => parseAnswer(ANSWERS[Math.floor(Math.random() * ANSWERS.length)]!, unit));
  const matcher = createIntentMatcher(indicators);
  rate('classify a question', 50_000, () => matcher.classify(QUESTIONS[Math.floor(Math.random() * QUESTIONS.length)]!, { year: 2026, month: 11 }));

  const members = [await database.prisma.member.findUniqueOrThrow({ where: { key: 'director' } })];
  const wang = await database.prisma.member.findUniqueOrThrow({ where: { key: 'wang' } });
  for (const member of [...members, wang]) {
    await database.prisma.chatIdentity.create({ data: { identity: `bench:${member.key}`, memberId: member.id, source: 'bench' } });
  }
  const channel = silentChannel('bench');
  let counter = 0;
  /** Resolves when the message is handled. */
  const say = async (from: string, text: string) => {
    counter += 1;
    await channel.say({
      channel: 'bench', messageId: `bench:${counter}`, from: `bench:${from}`, chat: `bench:${from}`,
      isGroup: false, mentioned: false, text, receivedAt: new Date(),
    });
  };
  const runtime = await startChatRuntime({ prisma: database.prisma, adapters: [channel], now, sweepIntervalMs: 0 });

  const turns: number[] = [];
  const turn = async (from: string, text: string) => {
    const start = performance.now();
    await say(from, text);
    turns.push(performance.now() - start);
  };
  for (let i = 0; i < 5; i += 1) await turn('director', '2020年技改完成率'); // warm-up
  turns.length = 0;
  const started = performance.now();
  for (let i = 0; i < 200; i += 1) await turn('director', QUESTIONS[i % QUESTIONS.length]!);
  for (let i = 0; i < 20; i += 1) {
    for (const text of ['/report', '19.6亿', '11.2', '21.5亿', '3家', '取消']) await turn('wang', text);
  }
  const elapsed = performance.now() - started;
  const sorted = [...turns].sort((a, b) => a - b);
  console.log(`chat turns on PGlite (one at a time)  ${turns.length} in ${(elapsed / 1000).toFixed(1)} s = ${Math.round((turns.length / elapsed) * 1000)} /s`);
  console.log(`  latency p50 ${percentile(sorted, 50).toFixed(1)} ms, p95 ${percentile(sorted, 95).toFixed(1)} ms, max ${sorted.at(-1)?.toFixed(1)} ms`);
  const memory = process.memoryUsage();
  console.log(`  memory: rss ${Math.round(memory.rss / 2 ** 20)} MiB, heap used ${Math.round(memory.heapUsed / 2 ** 20)} MiB`);
  await runtime.stop();
  await database.close();
}

await main();
