// The composition root: settings, logger, database, organisation, channels; clean shutdown on signals.
import { loadConfig } from './config.js';
import { formatOrgProblems } from './core/org/parse.js';
import { openDatabase } from './db/database.js';
import { loadOrgFile } from './app/startup.js';
import { createLogger } from './logger.js';

async function main(): Promise<number> {
  const config = loadConfig();
  if (!config.ok) {
    console.error(config.error);
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

  const loaded = await loadOrgFile(deps, settings.orgFile, 'system');
  if (!loaded.ok) {
    const { error } = loaded;
    logger.fatal(
      { file: error.file, problems: error.kind === 'invalid' ? formatOrgProblems(error.problems) : error.reason },
      'the organisation file cannot be loaded; nothing was changed',
    );
    await database.close();
    return 1;
  }
  const org = loaded.value;
  logger.info(
    {
      file: org.file ?? '(built-in demo organisation)',
      status: org.status,
      sections: org.sections,
      members: org.members,
      indicators: org.indicators,
      targets: org.targets,
      deactivated: org.deactivated,
    },
    'organisation loaded',
  );

  const channels: string[] = [];
  logger.info(
    { channels, telegram: Boolean(settings.telegram), wechat: Boolean(settings.wechaty) },
    channels.length === 0 ? 'running with no chat channel yet (set TELEGRAM_BOT_TOKEN to add one)' : 'running',
  );

  await new Promise<void>((resolve) => {
    const stop = (signal: NodeJS.Signals) => {
      logger.info({ signal }, 'shutting down');
      resolve();
    };
    process.once('SIGTERM', stop);
    process.once('SIGINT', stop);
  });
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
