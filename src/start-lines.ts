// What `npm start` says to the person at the terminal, besides its JSON logs: plain lines in zh-CN.
import { translator } from './core/i18n.js';

const t = translator('zh-CN');

/** The organisation file's problems one to a line, under a line naming the file. */
export function startRefusal(file: string, problems: string): string {
  const lines = problems.split('\n').map((line) => `  ${line}`);
  return [t('checks.start_refused', { file }), ...lines].join('\n');
}

/** 报数助手已在运行: on which channels and database, where its dashboard is, and how to chat with it from another terminal. */
export function runningLine(channels: string[], database: { kind: string; location: string }, dashboard: string, member: string): string {
  const names = channels.length === 0 ? t('checks.no_channels') : channels.join(t('list.separator'));
  return t('checks.running', { channels: names, database: database.kind, location: database.location, dashboard, member });
}

/** The HTTP server could not listen (the port taken, say): which address, why, and the setting that moves it. */
export function portRefusal(host: string, port: number, reason: string): string {
  return t('checks.port_refused', { host, port, reason });
}

/** The organisation a start kept: loaded from another file after ORG_FILE, which has not changed since. */
export function keptLaterLine(file: string, at: string, orgFile: string): string {
  return t('checks.start_kept_later', { file, at, orgFile });
}

/** ORG_FILE, edited, loaded over the organisation another file loaded after it: said, with what changed below. */
export function replacedLaterLine(orgFile: string, file: string, at: string): string {
  return t('checks.start_replaced_later', { orgFile, file, at });
}
