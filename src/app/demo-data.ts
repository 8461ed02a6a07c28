import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import type { TableProblem } from '../core/figures-table.js';
import { translator } from '../core/i18n.js';
import type { Result } from '../core/result.js';
import type { AppDeps } from './deps.js';
import { type ImportSummary, importFigures } from './import-figures.js';
import { readFiguresCsv } from './io/figures-csv.js';

/** The built-in organisation: the seed's bureau (src/app/demo/demo-org.yaml). */
export const DEMO_ORG_FILE = fileURLToPath(new URL('./demo/demo-org.yaml', import.meta.url));
/** Its illustrative 2019–2020 monthly series, adding up to the seed's annual figures. */
export const DEMO_FIGURES_FILE = fileURLToPath(new URL('./demo/demo-figures.csv', import.meta.url));

/** Loads the illustrative demo series through the ordinary import path; loading it twice changes nothing. */
export async function loadDemoFigures(deps: AppDeps, actor: string): Promise<Result<ImportSummary, TableProblem[]>> {
  const rows = readFiguresCsv(await readFile(DEMO_FIGURES_FILE, 'utf8'));
  if (!rows.ok) return rows;
  // Stored in Chinese, as the CLI's import stores its reason: a revision's reason is the bureau's record.
  const reason = translator('zh-CN')('cli.demo_reason');
  return importFigures(deps, rows.value, { channel: 'demo', actor, reason, source: 'demo-figures.csv' });
}
