import type { ReadDeps } from '../app/deps.js';
import { exportYear } from '../app/export-figures.js';
import type { Locale } from '../core/domain.js';
import type { Translate } from '../core/i18n.js';

/** What a download is built for: the year shown on the dashboard, the clock, the reader's language. */
export interface DownloadInput {
  year: number;
  now: Date;
  t: Translate;
  locale: Locale;
}

/** One file the dashboard offers, served at /dashboard/download/<name>?year=YYYY. */
export interface Download {
  name: string;
  contentType: string;
  label(t: Translate, year: number): string;
  fileName(year: number): string;
  build(deps: ReadDeps, input: DownloadInput): Promise<Buffer>;
}

const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

/**
 * The dashboard's downloads, one row each, in the order offered. A document builder (a monthly bulletin,
 * the annual report) is one more row: its name, type, label, file name, and the use case that builds it.
 */
export const DOWNLOADS: readonly Download[] = [
  {
    name: 'workbook',
    contentType: XLSX,
    label: (t, year) => t('dashboard.download_workbook', { year }),
    fileName: (year) => `baoshu-${year}.xlsx`,
    build: async (deps, input) => (await exportYear(deps, { year: input.year, format: 'xlsx', t: input.t, locale: input.locale })).content,
  },
];
