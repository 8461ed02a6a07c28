import { html, raw } from 'hono/html';
import type { HtmlEscapedString } from 'hono/utils/html';
import type { IndicatorHistory, SectionReporting } from '../app/dashboard-view.js';
import { CHART_COLOURS, barKind, mostCommon } from '../app/reports/chart-style.js';
import type { ProgressReport } from '../app/progress-report.js';
import type { Locale } from '../core/domain.js';
import type { MessageKey, Translate } from '../core/i18n.js';
import type { Period } from '../core/period.js';
import { formatFigure, formatPercent, formatPoints, levelShortfall } from '../core/progress.js';
import { formatDecimal } from '../core/decimal.js';
import { figureNotes, indicatorName, levelStanding, monthName, periodLabel, renderFigure, sectionName } from '../core/render.js';

/*
 * The dashboard's pages, rendered on the server (hono/html escapes every value). Every sentence comes from
 * locales/ (`dashboard.*`); the figures come formatted as the chat formats them. One stylesheet, narrow
 * first: a phone screen (375 px) shows every page without sideways scrolling but for wide tables.
 */

type Html = HtmlEscapedString | Promise<HtmlEscapedString>;

/** What every page needs: the reader's language, and who is signed in (none on the refusal page). */
export interface PageContext {
  t: Translate;
  locale: Locale;
  member?: { name: string; isAdmin: boolean };
}

const STYLE = `
*{box-sizing:border-box}body{margin:0;font:15px/1.5 system-ui,"Noto Sans CJK SC","PingFang SC","Microsoft YaHei",sans-serif;color:#1f2328;background:#f6f8fa}
header{display:flex;flex-wrap:wrap;gap:.5rem 1rem;align-items:center;padding:.6rem 1rem;background:#0b3d91;color:#fff}
header a,header button{color:#fff}header .who{margin-left:auto}header form{display:inline}
header button{background:none;border:1px solid #fff8;border-radius:4px;padding:.1rem .5rem;font:inherit;cursor:pointer}
main{max-width:960px;margin:0 auto;padding:1rem}section{background:#fff;border:1px solid #d0d7de;border-radius:6px;padding:1rem;margin-bottom:1rem}
h1{font-size:1.15rem;margin:0}h2{font-size:1.05rem;margin:0 0 .75rem}
.scroll{overflow-x:auto}table{border-collapse:collapse;width:100%}th,td{padding:.35rem .5rem;border-bottom:1px solid #eaeef2;text-align:left;white-space:nowrap}
td.num,th.num{text-align:right}.behind{color:#cf222e}.ahead,.done{color:#1a7f37}
#progress-chart{width:100%}ul.sections{list-style:none;margin:0;padding:0;display:grid;grid-template-columns:repeat(auto-fill,minmax(200px,1fr));gap:.5rem}
ul.sections li{border:1px solid #eaeef2;border-radius:4px;padding:.4rem .6rem}
form.inline{display:flex;flex-wrap:wrap;gap:.5rem;align-items:center;margin-bottom:.75rem}
input,select,button{font:inherit;padding:.3rem .5rem;max-width:100%}
#transcript{height:50vh;overflow-y:auto;border:1px solid #d0d7de;border-radius:4px;padding:.5rem;background:#fafbfc;margin-bottom:.5rem}
#transcript p{margin:.25rem 0;padding:.35rem .6rem;border-radius:6px;white-space:pre-wrap;max-width:90%}
#transcript p.member{background:#ddf4ff;margin-left:auto}#transcript p.bot{background:#fff;border:1px solid #eaeef2}
#say{display:flex;gap:.5rem}#say input{flex:1;min-width:0}
.through{color:#57606a;font-size:.85em}
@media (max-width:600px){#progress-table thead{display:none}#progress-table tr{display:block;padding:.4rem 0;border-bottom:1px solid #d0d7de}
#progress-table td{display:flex;justify-content:space-between;gap:1rem;border:0;padding:.1rem .25rem;white-space:normal;text-align:right}
#progress-table td::before{content:attr(data-label);color:#57606a;text-align:left}#progress-table td:first-child{font-weight:600}
#progress-table td:first-child::before{content:none}#progress-table td:empty{display:none}}
`;

/** The tab's icon, inline (no /favicon.ico to ask for): two bars and the 序时进度 mark, in the chart's colours. */
const ICON = `data:image/svg+xml,${encodeURIComponent(
  `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 16 16"><rect width="16" height="16" rx="3" fill="#0b3d91"/>` +
    `<rect x="3" y="5" width="4" height="9" fill="${CHART_COLOURS.rate}"/><rect x="9" y="8" width="4" height="6" fill="${CHART_COLOURS.behind}"/>` +
    `<rect x="2" y="6" width="12" height="1.5" fill="#fff"/></svg>`,
)}`;

function layout(page: PageContext, title: string, body: Html, scripts: string[] = []): Html {
  const { t, member } = page;
  return html`<!doctype html>
<html lang="${page.locale}">
<head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1"><meta name="referrer" content="no-referrer">
<link rel="icon" type="image/svg+xml" href="${ICON}"><title>${title}</title><style>${raw(STYLE)}</style></head>
<body>
<header><h1>${t('dashboard.title')}</h1>${
    member
      ? html`<nav><a href="/dashboard">${t('dashboard.nav_overview')}</a>${
          member.isAdmin ? html` · <a href="/dashboard/simulator">${t('dashboard.nav_simulator')}</a>` : ''
        }</nav><span class="who">${t('dashboard.signed_in_as', { name: member.name })}</span>
<form method="post" action="/dashboard/logout"><button type="submit">${t('dashboard.sign_out')}</button></form>`
      : ''
  }</header>
<main>${body}</main>
${scripts.map((src) => html`<script src="${src}"></script>`)}
</body></html>`;
}

/** The page for anyone not signed in: it says how to get a link, and nothing of the organisation. */
export function refusedPage(page: PageContext, notice?: string): Html {
  const { t } = page;
  return layout(
    page,
    t('dashboard.refused_title'),
    html`<section><h2>${t('dashboard.refused_title')}</h2>${notice ? html`<p>${notice}</p>` : ''}<p>${t('dashboard.refused_body')}</p></section>`,
  );
}

/** A valid link asks for one click: a link preview fetched by a chat app must not use it up. */
export function confirmPage(page: PageContext, token: string, minutes: number): Html {
  const { t } = page;
  return layout(
    page,
    t('dashboard.confirm_title'),
    html`<section><h2>${t('dashboard.confirm_title')}</h2><p>${t('dashboard.confirm_body', { minutes })}</p>
<form method="post" action="/dashboard/login"><input type="hidden" name="token" value="${token}"><button type="submit" id="sign-in">${t('dashboard.confirm_button')}</button></form></section>`,
  );
}

/** A download offered on the overview: its label and address. */
export interface DownloadLink {
  href: string;
  label: string;
}

/** The overview: the completion chart and table, the sections' reporting, the downloads. */
export function overviewPage(
  page: PageContext,
  data: { report: ProgressReport; reporting: { period: Period; sections: SectionReporting[] }; downloads: DownloadLink[] },
): Html {
  const { t, locale } = page;
  const { report, reporting } = data;
  const items = report.items;
  // The chart has the indicators with a completion rate; those without are left out and counted under it.
  const drawn = items.filter((item) => item.rate !== undefined);
  // No 序时进度 mark on a level's bar: it is measured against its target only.
  const elapsed = drawn.map((item) => (item.gap === undefined ? null : formatPercent(item.elapsed)));
  const marked = elapsed.filter((value) => value !== null);
  const common = mostCommon(marked);
  const chart = {
    labels: drawn.map((item) => indicatorName(item.indicator, locale)),
    rate: drawn.map((item) => (item.rate === undefined ? null : formatPercent(item.rate))),
    elapsed,
    // The bar's colour: behind schedule, a level (against its target only), or the rest.
    kind: drawn.map((item) => barKind(item.gap)),
    names: {
      rate: t('dashboard.chart_rate'),
      rateBehind: t('dashboard.chart_rate_behind'),
      rateLevel: t('dashboard.chart_rate_level'),
      // Said once when every indicator has the same 序时进度; else each mark's is in its tooltip and the table.
      elapsed: common !== undefined && marked.every((value) => value === common) ? t('dashboard.chart_elapsed_at', { elapsed: common }) : t('dashboard.chart_elapsed'),
    },
    // The documents' chart's colours (src/app/reports/chart-style.ts), not a copy of them.
    colours: CHART_COLOURS,
  };
  const noFigure = items.filter((item) => item.ytd === undefined).length;
  const noTarget = items.length - drawn.length - noFigure;
  const reasons = [
    ...(noTarget > 0 ? [t('dashboard.chart_left_out_no_target', { count: noTarget })] : []),
    ...(noFigure > 0 ? [t('dashboard.chart_left_out_no_figure', { count: noFigure })] : []),
  ];
  const leftOut = reasons.length === 0 ? '' : t('dashboard.chart_left_out', { count: noTarget + noFigure, reasons: reasons.join(t('dashboard.chart_left_out_separator')) });
  // JSON inside a script element: `<` escaped so no value can close the element.
  const chartJson = JSON.stringify(chart).replace(/</g, '\\u003c');
  // Through the latest month with a figure, as the chat's overview says it, not the month asked about.
  const month = Math.max(0, ...items.map((item) => item.throughMonth ?? 0)) || report.month;
  const heading = t('dashboard.progress_heading', { year: report.year, month, monthName: monthName(t, month) });
  return layout(
    page,
    t('dashboard.title'),
    html`<section><form class="inline" method="get" action="/dashboard"><label>${t('dashboard.year_label')} <input type="number" name="year" value="${report.year}" min="2000" max="2100"></label><button type="submit">${t('dashboard.show')}</button></form>
<h2>${heading}</h2>
${
  drawn.length > 0
    ? html`<div id="progress-chart" style="height:${72 + 44 * drawn.length}px"></div><script type="application/json" id="chart-data">${raw(chartJson)}</script>`
    : items.some((item) => item.ytd !== undefined)
      ? ''
      : html`<p>${t('dashboard.progress_none', { year: report.year })}</p>`
}${leftOut === '' || !items.some((item) => item.ytd !== undefined) ? '' : html`<p id="chart-left-out">${leftOut}</p>`}
<div class="scroll"><table id="progress-table"><thead><tr><th>${t('dashboard.col_indicator')}</th><th class="num">${t('dashboard.col_ytd')}</th><th class="num">${t('dashboard.col_target')}</th><th class="num">${t('dashboard.col_rate')}</th><th class="num">${t('dashboard.col_elapsed')}</th><th>${t('dashboard.col_status')}</th></tr></thead>
<tbody>${items.map((item) => {
      const { indicator } = item;
      // A figure with the indicator's decimals (18.20), a target as set (30000, 45%): as the chat says them.
      const figure = (value: ProgressReport['items'][number]['ytd'], format = formatFigure) =>
        value === undefined ? '' : renderFigure(t, format(value, indicator.decimals), indicator);
      const status = item.gap
        ? html`<span class="${item.gap.status}">${t(`dashboard.status_${item.gap.status}`, { points: formatPoints(item.gap.points) })}</span>`
        : levelShortfall(item) !== undefined
          ? levelStanding(t, item)
          : item.ytd === undefined
            ? t('dashboard.no_figure')
            : t('dashboard.no_target');
      // A figure that stops before the heading's month says where it stops: its rate and 序时进度 are that month's.
      const through =
        item.throughMonth !== undefined && item.throughMonth !== month
          ? html` <span class="through">${t('dashboard.through_month', { month: item.throughMonth, monthName: monthName(t, item.throughMonth) })}</span>`
          : '';
      // Each cell labelled (data-label), so that a phone can show a row as a card of label–value lines (the style above).
      // 序时进度 only where a rate is measured against it: by 未设目标, 暂无数据 or a level it would compare nothing.
      return html`<tr data-key="${indicator.key}"><td><a href="/dashboard/indicator?key=${encodeURIComponent(indicator.key)}&year=${report.year}">${indicatorName(indicator, locale)}</a></td><td class="num" data-label="${t('dashboard.col_ytd')}">${figure(item.ytd)}${figureNotes(t, item.queried, item.unreportedMonths)}${through}</td><td class="num" data-label="${t('dashboard.col_target')}">${figure(item.target, formatDecimal)}</td><td class="num" data-label="${t('dashboard.col_rate')}">${item.rate === undefined ? '' : `${formatPercent(item.rate)}%`}</td><td class="num" data-label="${t('dashboard.col_elapsed')}">${item.gap === undefined ? '' : `${formatPercent(item.elapsed)}%`}</td><td data-label="${t('dashboard.col_status')}">${status}</td></tr>`;
    })}</tbody></table></div></section>
<section id="sections"><h2>${t('dashboard.sections_heading', { period: periodLabel(t, reporting.period) })}</h2><ul class="sections">${reporting.sections.map(
      (section) =>
        html`<li data-section="${section.key}">${sectionName(section, locale)}<br>${
          section.missing === 0
            ? html`<span class="done">${t('dashboard.section_done')}</span>`
            : html`<span class="behind">${t('dashboard.section_missing', { missing: section.missing, total: section.indicators })}</span>`
        }</li>`,
    )}</ul></section>
<section id="downloads"><h2>${t('dashboard.downloads_heading')}</h2><ul>${data.downloads.map((link) => html`<li><a href="${link.href}">${link.label}</a></li>`)}</ul></section>`,
    ['/dashboard/assets/echarts.min.js', '/dashboard/assets/dashboard.js'],
  );
}

/** One indicator month by month, the year asked beside the year before. */
export function historyPage(page: PageContext, history: IndicatorHistory | undefined): Html {
  const { t, locale } = page;
  if (!history) return layout(page, t('dashboard.title'), html`<section><p>${t('dashboard.not_found')}</p><p><a href="/dashboard">${t('dashboard.back')}</a></p></section>`);
  const { indicator, year } = history;
  const name = indicatorName(indicator, locale);
  const cell = (value: IndicatorHistory['months'][number]) => (value === undefined ? '' : formatFigure(value, indicator.decimals));
  const empty = [...history.months, ...history.lastYear].every((value) => value === undefined);
  return layout(
    page,
    name,
    html`<section><h2>${t('dashboard.history_heading', { name })}</h2>${empty ? html`<p>${t('dashboard.history_none')}</p>` : ''}
<div class="scroll"><table id="history"><thead><tr><th>${t('dashboard.history_month')}</th><th class="num">${t('dashboard.history_year', { year })}</th><th class="num">${t('dashboard.history_year', { year: year - 1 })}</th></tr></thead>
<tbody>${history.months.map(
      (value, index) =>
        html`<tr><td>${t('dashboard.history_month_label', { month: index + 1, monthName: monthName(t, index + 1) })}</td><td class="num">${cell(value)}</td><td class="num">${cell(history.lastYear[index])}</td></tr>`,
    )}</tbody></table></div>
<p>${t('dashboard.history_unit', { unit: t(`units.${indicator.unit}` as MessageKey) })}</p>
<p><a href="/dashboard?year=${year}">${t('dashboard.back')}</a></p></section>`,
  );
}

/** The simulator: pick a member, chat as them; the page's script sends and fetches the chat. */
export function simulatorPage(page: PageContext, members: Array<{ key: string; name: string }>, chosen: string | undefined): Html {
  const { t } = page;
  return layout(
    page,
    t('dashboard.simulator_heading'),
    html`<section><h2>${t('dashboard.simulator_heading')}</h2><p>${t('dashboard.simulator_intro')}</p>
<form class="inline" method="get" action="/dashboard/simulator"><label>${t('dashboard.simulator_as')} <select name="member" id="member" onchange="this.form.submit()">${members.map(
      (member) => html`<option value="${member.key}"${member.key === chosen ? ' selected' : ''}>${t('dashboard.simulator_member', { name: member.name, key: member.key })}</option>`,
    )}</select></label><noscript><button type="submit">${t('dashboard.show')}</button></noscript></form>
${
  chosen
    ? html`<div id="transcript" data-member="${chosen}" aria-live="polite"></div>
<form id="say"><input id="text" name="text" autocomplete="off" placeholder="${t('dashboard.simulator_placeholder')}" required><button type="submit">${t('dashboard.simulator_send')}</button></form>`
    : ''
}</section>`,
    ['/dashboard/assets/dashboard.js'],
  );
}

/** For a signed-in member who is no administrator. */
export function adminOnlyPage(page: PageContext): Html {
  const { t } = page;
  return layout(page, t('dashboard.simulator_heading'), html`<section><p>${t('dashboard.simulator_admin_only')}</p><p><a href="/dashboard">${t('dashboard.back')}</a></p></section>`);
}

/** A `?year=` the dashboard has nothing for (not a year, or past next year): said, with the years it has. */
export function noSuchYearPage(page: PageContext, asked: string, latest: number): Html {
  const { t } = page;
  return layout(
    page,
    t('dashboard.no_such_year_title'),
    html`<section><p>${t('dashboard.no_such_year', { asked, first: FIRST_YEAR, latest })}</p><p><a href="/dashboard">${t('dashboard.back')}</a></p></section>`,
  );
}

/** The first year the dashboard shows. */
export const FIRST_YEAR = 2000;
