import type { ReadDeps } from '../app/deps.js';
import { exportFileName, exportYear } from '../app/export-figures.js';
import { annualReportFile } from '../app/reports/annual-report.js';
import { bulletinFile, bulletinPeriod } from '../app/reports/bulletin.js';
import { getOrganisation } from '../db/org-repository.js';
import type { Locale } from '../core/domain.js';
import type { Translate } from '../core/i18n.js';
import { type Period } from '../core/period.js';
import { periodLabel } from '../core/render.js';

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
  /** `current`: the period being reported now (the bulletin offered for the current year is its). */
  label(t: Translate, year: number, current: Period): string;
  /** The file's name for a browser that cannot take the real one (not UTF-8): ASCII. */
  asciiName(year: number): string;
  /** The file, named as the chat names it (乐昌市工业和信息化局2020年12月主要指标完成情况通报.docx). */
  build(deps: ReadDeps, input: DownloadInput): Promise<{ content: Buffer; fileName: string }>;
}

const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';
const DOCX = 'application/vnd.openxmlformats-officedocument.wordprocessingml.document';

/** The bulletin offered for a year: its December once the year is over, else the period being reported now. */
function bulletinOfYear(year: number, current: Period): Period {
  return year < current.year ? { year, month: 12 } : current;
}

/**
 * The dashboard's downloads, one row each, in the order offered. A document builder (a monthly bulletin,
 * the annual report) is one more row: its name, type, label, file name, and the use case that builds it.
 */
export const DOWNLOADS: readonly Download[] = [
  {
    name: 'workbook',
    contentType: XLSX,
    label: (t, year) => t('dashboard.download_workbook', { year }),
    asciiName: (year) => `baoshu-${year}.xlsx`,
    build: async (deps, input) => {
      const { content } = await exportYear(deps, { year: input.year, format: 'xlsx', t: input.t, locale: input.locale });
      return { content, fileName: exportFileName((await getOrganisation(deps.prisma)).name, input.year, 'xlsx') };
    },
  },
  {
    name: 'bulletin',
    contentType: DOCX,
    // Named by its month: the offer is one bulletin, not the year's.
    label: (t, year, current) => t('dashboard.download_bulletin', { period: periodLabel(t, bulletinOfYear(year, current)) }),
    asciiName: (year) => `tongbao-${year}.docx`,
    build: async (deps, input) => bulletinFile(deps, { period: bulletinOfYear(input.year, await bulletinPeriod(deps)), locale: input.locale }),
  },
  {
    name: 'annual-report',
    contentType: DOCX,
    label: (t, year) => t('dashboard.download_annual', { year }),
    asciiName: (year) => `zipingbaogao-${year}.docx`,
    build: (deps, input) => annualReportFile(deps, { year: input.year, locale: input.locale }),
  },
];
