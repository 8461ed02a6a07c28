// The composition root: settings, logger, database, organisation, channels; clean shutdown on signals.
import { formatSettingProblems, loadConfig, settingsFileProblem } from './config.js';
import { describeOrgSourceError } from './app/org-source.js';
import { translator } from './core/i18n.js';
import { openDatabase } from './db/database.js';
import { loadOrgFile } from './app/startup.js';
import { startChatRuntime } from './app/chat/runtime.js';
import type { ChannelAdapter } from './app/port.js';
import { getOrganisation } from './db/org-repository.js';
import { civilDateInZone, formatLocalTime, hasOfficialCalendar } from './core/calendar.js';
import { startReminderScheduler } from './scheduler/reminder-scheduler.js';
import { createLogger } from './logger.js';
import { startBotAdmin } from './cli/bot-admin.js';
import { createTerminalHub } from './channels/terminal/terminal-hub.js';
import { createHttpServer } from './http-server.js';
import { createWebChannel } from './channels/web/web-adapter.js';
import { dashboardLink, mountDashboard } from './web/dashboard.js';
import { keptLaterLine, portRefusal, replacedLaterLine, runningLine, startRefusal } from './start-lines.js';

async function main(): Promise<number> {
  // Before any setting is known, the product's own language.
  const unreadable = settingsFileProblem(translator('zh-CN'));
  if (unreadable) {
    console.error(unreadable);
    return 1;
  }
  const config = loadConfig();
  if (!config.ok) {
    console.error(formatSettingProblems(config.error, translator('zh-CN')));
    return 1;
  }
  const { value: settings } = config;
  const logger = createLogger(settings.logLevel);
  const database = await openDatabase({ url: settings.databaseUrl, dataDir: settings.dataDir });
  logger.info(
    { database: database.kind, location: database.location, migrationsApplied: database.applied },
    'database ready',
  );
  const deps = { prisma: database.prisma, now: () => new Date() };

  const loaded = await loadOrgFile(deps, { file: settings.orgFile, timeZone: settings.timeZone }, 'system', { atStart: true });
  if (!loaded.ok) {
    const { error } = loaded;
    // The administrator reads the problems: in zh-CN, the language of the organisation file.
    const problems = describeOrgSourceError(error, translator('zh-CN'));
    logger.fatal(
      { file: error.file, problems, ...(error.kind === 'unreadable' ? { cause: error.detail } : {}) },
      'the organisation file cannot be loaded; nothing was changed',
    );
    // The log line escapes its newlines: the person at the terminal gets the problems one to a line too.
    console.error(startRefusal(error.file, problems));
    await database.close();
    return 1;
  }
  const org = loaded.value;
  logger.info(
    org.status === 'kept_later'
      ? { file: settings.orgFile, status: org.status, loaded: org.file, at: org.at.toISOString() }
      : org.status === 'kept'
        ? // ORG_FILE unset: the built-in demo is loaded only into a database that has no organisation yet.
          { file: '(none: ORG_FILE is not set)', status: 'kept', organisation: org.organisation }
        : {
            file: org.file ?? '(built-in demo organisation)',
            status: org.status,
            sections: org.sections,
            members: org.members,
            indicators: org.indicators,
            targets: org.targets,
            deactivated: org.deactivated,
            targetsKept: org.targetsKept,
            undated: org.undated.map((indicator) => indicator.key),
            added: org.changes.added,
            changes: org.changes.changes,
          },
    'organisation loaded',
  );
  // Said where it is read: a start that did not load ORG_FILE, and why.
  if (org.status === 'kept_later' && settings.orgFile !== undefined) {
    const { timezone } = await getOrganisation(database.prisma);
    console.log(keptLaterLine(org.file, formatLocalTime(org.at, timezone), settings.orgFile));
  } else if (org.status === 'loaded' && org.replaced && settings.orgFile !== undefined) {
    // ORG_FILE edited since another file was loaded: that file's organisation is replaced, and what changed said.
    const { timezone } = await getOrganisation(database.prisma);
    const t = translator('zh-CN');
    // Loaded only here, rarely: the commands' module brings the documents' libraries with it.
    const { orgChangeLines } = await import('./cli/commands.js');
    const changes = await orgChangeLines({ deps, t, locale: 'zh-CN' }, org.changes);
    console.log([replacedLaterLine(settings.orgFile, org.replaced.file, formatLocalTime(org.replaced.at, timezone)), ...changes].join('\n'));
  }

  // A channel's library is loaded only when the channel is configured: wechaty alone takes about 80 MiB
  // and a second to load, for nothing when the bureau chats on Telegram only.
  const adapters: ChannelAdapter[] = [];
  if (settings.telegram) {
    const { createTelegramAdapter } = await import('./channels/telegram/telegram-adapter.js');
    adapters.push(
      createTelegramAdapter({
        token: settings.telegram.token,
        apiRoot: settings.telegram.apiRoot,
        webhook: settings.telegram.webhook,
        logger,
      }),
    );
  }
  if (settings.wechat) {
    const { puppet, token, session, sendIntervalMs } = settings.wechat;
    const { createWechatAdapter } = await import('./channels/wechat/wechat-adapter.js');
    // Other settings of the puppet (its own environment variables) reach it directly.
    adapters.push(
      createWechatAdapter({ puppet, puppetOptions: token ? { token } : undefined, session, minSendIntervalMs: sendIntervalMs, logger }),
    );
  }
  // The bot's one HTTP server: the web dashboard (with its chat simulator, the `web` channel) and WeCom's callback.
  const http = createHttpServer({ ...settings.http, logger });
  const web = createWebChannel();
  const origin = (host: string, port: number) => `http://${host.includes(':') ? `[${host}]` : host}:${port}`;
  // With HTTP_PORT=0 the address is known once the server listens.
  let publicUrl = settings.publicUrl ?? (settings.http.port === 0 ? undefined : origin(settings.http.host, settings.http.port));
  mountDashboard(http, { deps, web, secureCookie: publicUrl?.startsWith('https:') ?? false, logger });
  if (settings.wecom) {
    // Loaded only when configured, as the other channels' libraries are.
    const { createWecomAdapter } = await import('./channels/wecom/wecom-adapter.js');
    adapters.push(createWecomAdapter({ ...settings.wecom, routes: http, logger }));
  }
  const terminal = database.kind === 'pglite' ? createTerminalHub() : undefined;
  let runtime: Awaited<ReturnType<typeof startChatRuntime>>;
  try {
    runtime = await startChatRuntime({
      prisma: database.prisma,
      adapters: [...adapters, web, ...(terminal ? [terminal] : [])],
      dashboardLink: (token) => dashboardLink(publicUrl ?? '', token),
      now: deps.now,
      logger,
      soleSender: database.kind === 'pglite',
      paces: {
        ...(settings.telegram ? { telegram: settings.telegram.rateLimit } : {}),
        ...(settings.wechat ? { wechat: settings.wechat.rateLimit } : {}),
        ...(settings.wecom ? { wecom: settings.wecom.rateLimit } : {}),
      },
    });
  } catch (error) {
    // A channel that cannot start (a WeChat puppet not installed) stops the start; the ones already
    // started would otherwise keep the process alive.
    logger.fatal({ err: error }, 'a chat channel cannot start');
    for (const adapter of adapters) await adapter.stop().catch(() => {});
    await database.close();
    return 1;
  }
  try {
    // Listening once every route is there: WeCom retries what it could not deliver meanwhile.
    const address = await http.listen();
    publicUrl ??= origin(address.host, address.port);
    logger.info({ url: `${publicUrl}/dashboard` }, 'web dashboard served (npm run cli -- dashboard-link prints a sign-in link)');
  } catch (error) {
    logger.fatal({ err: error, host: settings.http.host, port: settings.http.port }, 'the HTTP server cannot listen');
    console.error(portRefusal(settings.http.host, settings.http.port, (error as NodeJS.ErrnoException).code ?? String(error)));
    await runtime.stop();
    await database.close();
    return 1;
  }
  const timeZone = (await getOrganisation(database.prisma)).timezone;
  // Deadlines and reminders count working days: a year whose holiday notice this version lacks knows only
  // its weekends and its fixed-date holidays (元旦, 劳动节, 国庆节), not 春节, 清明, 端午, 中秋 or 调休.
  const today = civilDateInZone(new Date(), timeZone);
  const unknownYears = [today.year, ...(today.month === 12 ? [today.year + 1] : [])].filter((year) => !hasOfficialCalendar(year));
  if (unknownYears.length > 0) {
    logger.warn(
      { years: unknownYears },
      "the official holiday calendar of these years is not in this version's data: only weekends, 元旦, 劳动节 and 国庆节 count as days off; update the chinese-days package once the State Council's notice is out",
    );
  }
  const scheduler = startReminderScheduler({
    prisma: database.prisma, now: deps.now, dispatcher: runtime.dispatcher, timeZone, logger, embedded: database.kind === 'pglite',
  });
  // On the embedded database the CLI and the terminal chat cannot open it beside the bot: they come to the
  // bot instead, and its terminal channel serves their chats.
  const admin = terminal ? await startBotAdmin({ dataDir: settings.dataDir, ...deps, terminal, logger }) : undefined;
  // Listened for before the bot says it runs: a stop asked for as soon as it does is a clean stop.
  const stopped = new Promise<void>((resolve) => {
    const stop = (signal: NodeJS.Signals) => {
      logger.info({ signal }, 'shutting down');
      resolve();
    };
    process.once('SIGTERM', stop);
    process.once('SIGINT', stop);
  });
  const channels = adapters.map((adapter) => adapter.name);
  logger.info(
    { channels },
    channels.length === 0 ? 'running with no chat channel (set TELEGRAM_BOT_TOKEN, WECHATY_PUPPET or WECOM_CORP_ID to add one)' : 'running',
  );
  // Besides the logs (stderr), one plain line on stdout for the person who typed npm start, with a member of
  // this organisation to chat as (a director if there is one).
  const someone =
    (await database.prisma.member.findFirst({ where: { active: true, roles: { has: 'director' } }, orderBy: { id: 'asc' }, select: { key: true } })) ??
    (await database.prisma.member.findFirst({ where: { active: true }, orderBy: { id: 'asc' }, select: { key: true } }));
  console.log(runningLine(channels, { kind: database.kind, location: database.location }, `${publicUrl}/dashboard`, someone?.key ?? 'director'));

  await stopped;
  await admin?.close();
  await scheduler.stop();
  // No more callbacks come in; those under way are handled before the channels stop.
  await http.close();
  await runtime.stop();
  await database.close();
  logger.info('stopped');
  return 0;
}

main().then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    console.error(error instanceof Error ? `${error.name}: ${error.message}` : error);
    process.exitCode = 1;
  },
);
