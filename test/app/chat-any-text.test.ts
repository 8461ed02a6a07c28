import fc from 'fast-check';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Database, openDatabase } from '../../src/db/database.js';
import type { DialogueState } from '../../src/core/dialogue/types.js';
import { anyMessage, isPrintable } from '../helpers/any-text.js';
import { NOV_25, type StartedChat, bind, seedFigures, FIGURES_2026, texts } from '../helpers/chat.js';
import { withDemoFigures } from '../helpers/databases.js';
import { startChat } from '../helpers/chat.js';

/*
 * Any text is safe, through the whole chat turn on the embedded database (docs/architecture.md, The
 * life of one message): generated messages — arbitrary Unicode, NUL and other controls, bidi marks, lone
 * surrogates, very long lines, numerals and units in any combination — sent by a section head, a
 * director and an English-speaking member, in every phase of the dialogue. No turn fails, every reply is
 * printable and within the platform's limit, a refused message moves neither a figure nor the dialogue,
 * and what is stored is what the summary or the confirmation showed.
 */

const PLATFORM_LIMIT = 4096;


interface Figure {
  key: string;
  value: string;
  note: string | null;
}

let database: Database;
let chat: StartedChat;
const errors: unknown[] = [];

beforeAll(async () => {
  database = await openDatabase({ dataDir: 'memory://' });
  const deps = { prisma: database.prisma, now: () => new Date(NOV_25) };
  await withDemoFigures(deps);
  await seedFigures(deps, FIGURES_2026);
  for (const key of ['director', 'wang', 'huang']) await bind(database.prisma, `telegram:${key}`, key);
  const logger = pino({ level: 'error' }, { write: (line: string) => void errors.push(JSON.parse(line)) });
  chat = await startChat(database.prisma, { now: () => NOV_25, logger });
}, 60_000);

afterAll(async () => {
  await chat?.runtime.stop();
  await database?.close();
});

async function conversationOf(memberKey: string): Promise<{ dialogue: DialogueState; choice?: unknown }> {
  const member = await database.prisma.member.findUniqueOrThrow({ where: { key: memberKey }, include: { conversation: true } });
  return (member.conversation?.state ?? { dialogue: { kind: 'idle' } }) as { dialogue: DialogueState };
}

/** The highest submission and revision ids: every change of a figure adds a revision above the mark. */
async function marks(): Promise<{ submission: number; revision: number }> {
  const [row] = await database.prisma.$queryRaw<{ submission: number; revision: number }[]>`
    SELECT coalesce((SELECT max(id) FROM submission), 0)::int AS submission, coalesce((SELECT max(id) FROM submission_revision), 0)::int AS revision`;
  return row!;
}

/** The figures stored since `mark`, as their revisions say. */
async function storedSince(mark: { revision: number }): Promise<Figure[]> {
  return database.prisma.$queryRaw<Figure[]>`
    SELECT i.key, r.value::text AS value, r.note FROM submission_revision r
    JOIN submission s ON s.id = r.submission_id JOIN indicator i ON i.id = s.indicator_id
    WHERE r.id > ${mark.revision} ORDER BY r.id`;
}

/** Puts the figures back as they were at `mark`: what was added since is removed, values are the latest revision's. */
async function restoreFigures(mark: { submission: number; revision: number }): Promise<void> {
  const { prisma } = database;
  await prisma.$executeRaw`DELETE FROM submission_revision WHERE id > ${mark.revision}`;
  await prisma.$executeRaw`DELETE FROM submission WHERE id > ${mark.submission}`;
  await prisma.$executeRaw`
    UPDATE submission s SET value = r.value, revision = r.revision
    FROM (SELECT DISTINCT ON (submission_id) submission_id, value, revision FROM submission_revision ORDER BY submission_id, revision DESC) r
    WHERE r.submission_id = s.id AND (s.value <> r.value OR s.revision <> r.revision)`;
}

/** Sets a conversation as another writer would: its version moves on, so that no one holding it goes on from the old one. */
async function setConversation(memberKey: string, state: unknown) {
  const member = await database.prisma.member.findUniqueOrThrow({ where: { key: memberKey } });
  await database.prisma.conversation.update({ where: { memberId: member.id }, data: { state: state as object, version: { increment: 1 } } });
}

/** The figures a state would submit on 确认, as it showed them. */
function shown(dialogue: DialogueState): Array<{ key: string; value: string; note: string | null }> {
  if (dialogue.kind === 'one_shot') return [{ key: dialogue.key, value: dialogue.value, note: dialogue.note ?? null }];
  if (dialogue.kind !== 'reporting') return [];
  return dialogue.keys.flatMap((key) => {
    const answer = dialogue.answers[key];
    return answer && 'value' in answer ? [{ key, value: answer.value, note: answer.note ?? null }] : [];
  });
}

/** A NUMERIC as text without trailing zeros, as the dialogue keeps it (19.6000000000 → 19.6). */
function decimalText(value: string): string {
  return value.includes('.') ? value.replace(/0+$/, '').replace(/\.$/, '') : value;
}

function position(state: { dialogue: DialogueState }) {
  const { dialogue } = state;
  return JSON.stringify(dialogue.kind === 'reporting' ? [dialogue.phase, dialogue.index, dialogue.answers, dialogue.pending] : dialogue);
}

const PHASES: Array<[name: string, member: string, setup: string[], phase: string]> = [
  ['a director’s question', 'director', ['取消'], 'idle'],
  ['a section head with no dialogue open', 'wang', ['取消'], 'idle'],
  ['the first question', 'wang', ['/report'], 'asking'],
  ['a later question', 'wang', ['/report', '41亿', '11亿'], 'asking'],
  ['a suspicious figure awaiting 是/否', 'wang', ['/report', '400亿'], 'confirm_suspicious'],
  ['the summary', 'wang', ['/report', '41亿', '11亿', '19亿', '3家 博昇乐'], 'review'],
  ['the reason of a correction', 'wang', ['更正10月', '39亿', '跳过', '跳过', '跳过', '确认'], 'reason'],
  ['a one-shot confirmation', 'wang', ['新增规上企业3家'], 'one_shot'],
  ['an English-speaking member’s question', 'huang', ['cancel'], 'idle'],
  ['an English-speaking member’s summary', 'huang', ['/report', '1', '0.55%'], 'review'],
];

describe('a whole chat turn on any text [PGlite]', () => {
  it.each(PHASES)('%s', async (_name, member, setup, phase) => {
    for (const text of setup) await chat.channel.say(member, text);
    const start = await conversationOf(member);
    expect(start.dialogue.kind === 'reporting' ? start.dialogue.phase : start.dialogue.kind).toBe(phase);
    const mark = await marks();

    await fc.assert(
      fc.asyncProperty(anyMessage, async (text) => {
        const sent = await chat.channel.say(member, text);
        expect(errors).toEqual([]);
        expect(sent.length).toBeGreaterThan(0);
        for (const reply of texts(sent)) {
          expect(reply.length).toBeLessThanOrEqual(PLATFORM_LIMIT);
          expect(isPrintable(reply)).toBe(true);
        }
        const after = await conversationOf(member);
        const changed = (await marks()).revision > mark.revision ? await storedSince(mark) : [];
        if (changed.length > 0) {
          // Stored only on 确认 (or a correction's reason), and exactly what was shown.
          expect(['review', 'reason', 'one_shot']).toContain(phase);
          const asShown = shown(start.dialogue);
          for (const figure of changed) expect(asShown).toContainEqual({ ...figure, value: decimalText(figure.value) });
        }
        if (position(after) === position(start)) expect(changed).toEqual([]);
        for (const figure of shown(after.dialogue)) if (figure.note !== null) expect(isPrintable(figure.note)).toBe(true);
      }).beforeEach(async () => {
        await setConversation(member, start);
        await restoreFigures(mark);
      }),
      { numRuns: 60 },
    );
    await setConversation(member, { dialogue: { kind: 'idle' } });
    await restoreFigures(mark);
  }, 120_000);
});
