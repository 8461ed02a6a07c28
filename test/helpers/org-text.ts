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
