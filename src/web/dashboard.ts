import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { getRequestListener } from '@hono/node-server';
import { type Context, Hono } from 'hono';
import { deleteCookie, getCookie, setCookie } from 'hono/cookie';
import { secureHeaders } from 'hono/secure-headers';
import {
  DASHBOARD_LINK_MINUTES,
  DASHBOARD_SESSION_HOURS,
  type DashboardMember,
  dashboardLinkUsable,
  endDashboardSession,
  redeemDashboardLink,
  sessionMember,
} from '../app/dashboard-login.js';
import { dashboardProgress, dashboardYear, indicatorHistory, sectionsReporting } from '../app/dashboard-view.js';
import type { AppDeps } from '../app/deps.js';
import { bulletinPeriod } from '../app/reports/bulletin.js';
import { bindSimulatorChat, simulatorMembers } from '../app/simulator.js';
import type { WebChannel } from '../channels/web/web-adapter.js';
import { translator } from '../core/i18n.js';
import type { HttpRoutes } from '../http-server.js';
import type { Logger } from '../logger.js';
import { DOWNLOADS, type Download } from './downloads.js';
import { FIRST_YEAR, type PageContext, adminOnlyPage, confirmPage, historyPage, noSuchYearPage, overviewPage, refusedPage, simulatorPage } from './pages.js';

/*
 * The web dashboard, under /dashboard on the bot's one HTTP server: Hono routes, mounted on node:http with
 * @hono/node-server's request listener so that the WeCom callback keeps its plain handler beside it.
 */

export const DASHBOARD_PATH = '/dashboard';
const COOKIE = 'baoshu_session';

export interface DashboardOptions {
  deps: AppDeps;
  /** The simulator's channel; without it the simulator is not offered. */
  web?: WebChannel;
  /** Send the session cookie over HTTPS only (PUBLIC_URL is https). */
  secureCookie?: boolean;
  downloads?: readonly Download[];
  logger?: Logger;
}

/** The sign-in link for a token, under the dashboard's public address. */
export function dashboardLink(publicUrl: string, token: string): string {
  return `${publicUrl.replace(/\/+$/, '')}${DASHBOARD_PATH}/login?token=${encodeURIComponent(token)}`;
}

/** Registers the dashboard on the bot's HTTP server; returns the function that removes it. */
export function mountDashboard(routes: HttpRoutes, options: DashboardOptions): () => void {
  const app = createDashboardApp(options);
  const listener = getRequestListener(app.fetch, { overrideGlobalObjects: false });
  const unmount = routes.mount(DASHBOARD_PATH, (req, res) => listener(req, res));
  // The server's root is the dashboard's front door: whoever opens the bot's address lands there.
  const unroute = routes.route('/', async (_req, res) => void res.writeHead(302, { location: DASHBOARD_PATH }).end());
  return () => {
    unmount();
    unroute();
  };
}

type Env = { Variables: { member: DashboardMember; page: PageContext; /** `?year=`, checked. */ year?: number } };

/** The dashboard's routes; every page but the sign-in ones needs a live session. */
export function createDashboardApp(options: DashboardOptions): Hono<Env> {
  const { deps, web } = options;
  const downloads = options.downloads ?? DOWNLOADS;
  const app = new Hono<Env>().basePath(DASHBOARD_PATH);
  const anonymous: PageContext = { t: translator('zh-CN'), locale: 'zh-CN' };

  app.use(secureHeaders({ referrerPolicy: 'no-referrer' }));
  app.use(async (c, next) => {
    await next();
    if (!c.res.headers.has('cache-control')) c.header('cache-control', 'no-store');
  });
  app.onError((error, c) => {
    options.logger?.error({ err: error, path: c.req.path }, 'dashboard request failed');
    return c.text('', 500);
  });

  app.get('/assets/echarts.min.js', async (c) => script(c, await echartsSource()));
  app.get('/assets/dashboard.js', async (c) => script(c, await clientSource()));

  app.get('/login', async (c) => {
    const token = c.req.query('token') ?? '';
    // Looked at, not used: only the button's POST uses the link up.
    const valid = token !== '' && (await dashboardLinkUsable(deps, token));
    return valid ? c.html(confirmPage(anonymous, token, DASHBOARD_LINK_MINUTES)) : c.html(refusedPage(anonymous), 401);
  });
  app.post('/login', async (c) => {
    const form = await c.req.parseBody();
    const token = typeof form.token === 'string' ? form.token : '';
    const redeemed = token === '' ? undefined : await redeemDashboardLink(deps, token);
    if (!redeemed?.ok) return c.html(refusedPage(anonymous), 401);
    setCookie(c, COOKIE, redeemed.value.session, {
      path: DASHBOARD_PATH,
      httpOnly: true,
      sameSite: 'Lax',
      secure: options.secureCookie ?? false,
      maxAge: DASHBOARD_SESSION_HOURS * 3600,
      expires: redeemed.value.expiresAt,
    });
    return c.redirect(DASHBOARD_PATH, 303);
  });
  app.post('/logout', async (c) => {
    await endDashboardSession(deps, getCookie(c, COOKIE));
    deleteCookie(c, COOKIE, { path: DASHBOARD_PATH });
    return c.html(refusedPage(anonymous, anonymous.t('dashboard.signed_out')));
  });

  // Everything below needs a session; without one, the refusal page and nothing else.
  app.use(async (c, next) => {
    const member = await sessionMember(deps, getCookie(c, COOKIE));
    if (!member) return c.html(refusedPage(anonymous), 401);
    c.set('member', member);
    c.set('page', { t: translator(member.locale), locale: member.locale, member: { name: member.name, isAdmin: member.isAdmin } });
    await next();
  });

  // `?year=` is a year from 2000 to next year (targets may be set ahead), or the page says so: never
  // quietly another year's figures (nor another year's file under a download's name).
  app.use(async (c, next) => {
    const asked = c.req.query('year');
    if (asked !== undefined) {
      const latest = (await dashboardYear(deps)) + 1;
      const year = yearParam(asked, latest);
      if (year === undefined) return c.html(noSuchYearPage(c.get('page'), asked, latest), 400);
      c.set('year', year);
    }
    await next();
  });

  app.get('/', async (c) => {
    const page = c.get('page');
    const report = await dashboardProgress(deps, { year: c.get('year') });
    const reporting = await sectionsReporting(deps);
    const current = await bulletinPeriod(deps);
    const links = downloads.map((download) => ({
      href: `${DASHBOARD_PATH}/download/${download.name}?year=${report.year}`,
      label: download.label(page.t, report.year, current),
    }));
    return c.html(overviewPage(page, { report, reporting, downloads: links }));
  });

  app.get('/indicator', async (c) => {
    const year = await dashboardYear(deps, c.get('year'));
    return c.html(historyPage(c.get('page'), await indicatorHistory(deps, c.req.query('key') ?? '', year)));
  });

  app.get('/download/:name', async (c) => {
    const download = downloads.find((candidate) => candidate.name === c.req.param('name'));
    if (!download) return c.notFound();
    const page = c.get('page');
    const year = await dashboardYear(deps, c.get('year'));
    const file = await download.build(deps, { year, now: deps.now(), t: page.t, locale: page.locale });
    return c.body(new Uint8Array(file.content), 200, {
      'content-type': download.contentType,
      // The name as the chat gives it (RFC 6266: filename* in UTF-8), an ASCII one for browsers without it.
      'content-disposition': `attachment; filename="${download.asciiName(year)}"; filename*=UTF-8''${encodeRFC5987(file.fileName)}`,
    });
  });

  if (web) {
    app.get('/simulator', async (c) => {
      const member = c.get('member');
      if (!member.isAdmin) return c.html(adminOnlyPage(c.get('page')), 403);
      const members = await simulatorMembers(deps);
      const chosen = c.req.query('member') ?? members[0]?.key;
      const known = chosen !== undefined && (await bindSimulatorChat(deps, { adminKey: member.key, memberKey: chosen }));
      return c.html(simulatorPage(c.get('page'), members, known ? chosen : undefined));
    });
    app.post('/simulator/send', async (c) => {
      const member = c.get('member');
      // JSON only: a form on another site cannot send it without the browser asking first.
      if (!member.isAdmin || !c.req.header('content-type')?.startsWith('application/json')) return c.json({}, 403);
      const body = (await c.req.json().catch(() => ({}))) as { member?: unknown; text?: unknown };
      if (typeof body.member !== 'string' || typeof body.text !== 'string' || body.text.trim() === '') return c.json({}, 400);
      if (!(await bindSimulatorChat(deps, { adminKey: member.key, memberKey: body.member }))) return c.json({}, 404);
      await web.say(body.member, body.text.trim());
      return c.json({ ok: true });
    });
    app.get('/simulator/entries', async (c) => {
      if (!c.get('member').isAdmin) return c.json({}, 403);
      const after = Number(c.req.query('after') ?? 0);
      return c.json({ entries: web.entries(c.req.query('member') ?? '', Number.isFinite(after) ? after : 0) });
    });
  }
  return app;
}

/** The year `?year=` names, written as a year (2026, not 2026.0 or 1e3), from 2000 to `latest`. */
function yearParam(raw: string, latest: number): number | undefined {
  if (!/^\s*\d{4}\s*$/.test(raw)) return undefined;
  const year = Number(raw);
  return year >= FIRST_YEAR && year <= latest ? year : undefined;
}

function script(c: Context, source: string) {
  return c.body(source, 200, { 'content-type': 'text/javascript; charset=utf-8', 'cache-control': 'public, max-age=3600' });
}

let echarts: Promise<string> | undefined;
/** The charting library as published, from node_modules (no CDN: the bureau's machine may be offline). */
function echartsSource(): Promise<string> {
  echarts ??= readFile(createRequire(import.meta.url).resolve('echarts/dist/echarts.min.js'), 'utf8');
  return echarts;
}

let client: Promise<string> | undefined;
function clientSource(): Promise<string> {
  client ??= readFile(path.join(path.dirname(fileURLToPath(import.meta.url)), 'assets', 'dashboard.js'), 'utf8');
  return client;
}

/** A value of `filename*`: UTF-8, percent-encoded, with RFC 5987's few extra characters encoded too. */
function encodeRFC5987(value: string): string {
  return encodeURIComponent(value).replace(/['()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
}
