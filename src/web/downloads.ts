import type { ReadDeps } from '../app/deps.js';
import { exportYear } from '../app/export-figures.js';
import { buildAnnualReport } from '../app/reports/annual-report.js';
import { buildBulletin, bulletinPeriod } from '../app/reports/bulletin.js';
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
const DOCX = 'application/vnd.openxmlformats-officedocument.wordprocessingml.document';

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
  {
    name: 'bulletin',
    contentType: DOCX,
    label: (t, year) => t('dashboard.download_bulletin', { year }),
    fileName: (year) => `tongbao-${year}.docx`,
    // The year shown: its December once it is over, else the period being reported now.
    build: async (deps, input) => {
      const now = await bulletinPeriod(deps);
      const period = input.year < now.year ? { year: input.year, month: 12 } : now;
      return buildBulletin(deps, { period, locale: input.locale });
    },
  },
  {
    name: 'annual-report',
    contentType: DOCX,
    label: (t, year) => t('dashboard.download_annual', { year }),
    fileName: (year) => `zipingbaogao-${year}.docx`,
    build: (deps, input) => buildAnnualReport(deps, { year: input.year, locale: input.locale }),
  },
];
