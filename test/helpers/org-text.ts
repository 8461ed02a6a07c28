import type { AppDeps } from '../../src/app/deps.js';
import { loadOrganisation, orgSourceHash } from '../../src/app/load-organisation.js';
import { translator } from '../../src/core/i18n.js';
import { parseOrgFile } from '../../src/core/org/parse.js';
import { formatOrgProblems } from '../../src/core/org/problems.js';

/** Loads an organisation file given as text, as `load` would; a file with problems fails the test, naming them. */
export async function loadOrgText(deps: AppDeps, text: string) {
  const parsed = parseOrgFile(text);
  if (!parsed.ok) throw new Error(formatOrgProblems(parsed.error, translator('en')));
  return loadOrganisation(deps, parsed.value, { hash: orgSourceHash(JSON.stringify(parsed.value)), actor: 'test' });
}

/**
 * Clears what a suite's tests leave behind between them: conversations, handled messages, the outbox, 催一下
 * and bulletin records, and every figure with its revisions. The organisation stays.
 */
export async function clearChatsAndFigures(prisma: AppDeps['prisma']): Promise<void> {
  await prisma.outboxMessage.deleteMany();
  await prisma.conversation.deleteMany();
  await prisma.processedMessage.deleteMany();
  await prisma.nudge.deleteMany();
  await prisma.bulletinDelivery.deleteMany();
  await prisma.submissionRevision.deleteMany();
  await prisma.submission.deleteMany();
}
