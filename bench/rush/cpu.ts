/*
 * CPU time spent by the bot (or the echo bot) and by the PostgreSQL server during a measured round,
 * read from /proc (Linux). The rates the bench prints are wall-clock figures on a shared machine and
 * swing with whatever else runs; the CPU a message costs does far less, so it is what tells two versions
 * of the code apart. The server's figure is every `postgres` process on this machine (its backends and
 * its writers): meaningful only when the server is local and the bench is its only user.
 */
import { readFileSync, readdirSync } from 'node:fs';

/** Clock ticks per second of /proc's utime and stime: 100 on every Linux this runs on. */
const TICKS_PER_SECOND = 100;

/** CPU seconds (user + system) a process has used so far, all its threads; undefined when unreadable. */
export function processCpuS(pid: number): number | undefined {
  try {
    return ticksOf(readFileSync(`/proc/${pid}/stat`, 'utf8')) / TICKS_PER_SECOND;
  } catch {
    return undefined;
  }
}

/** CPU seconds used so far by every process named `postgres` (live ones: one that exited is lost). */
function serverCpuS(): number | undefined {
  let entries: string[];
  try {
    entries = readdirSync('/proc');
  } catch {
    return undefined;
  }
  let ticks = 0;
  for (const entry of entries) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      if (stat.slice(stat.indexOf('(') + 1, stat.lastIndexOf(')')) === 'postgres') ticks += ticksOf(stat);
    } catch {
      // gone meanwhile
    }
  }
  return ticks / TICKS_PER_SECOND;
}

// Fields after the command's closing parenthesis: state is the 1st, utime the 12th, stime the 13th.
function ticksOf(stat: string): number {
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return Number(fields[11]) + Number(fields[12]);
}

/** CPU milliseconds per answered message, of the process and (when asked) of the server. */
export interface CpuPerMessage {
  botMs?: number;
  serverMs?: number;
}

/** Starts measuring; `per(messages)` gives each side's CPU ms per message since the start. */
export function startCpuMeter(pid: number, withServer: boolean): { per(messages: number): CpuPerMessage } {
  const bot0 = processCpuS(pid);
  const server0 = withServer ? serverCpuS() : undefined;
  return {
    per(messages) {
      if (messages <= 0) return {};
      const bot1 = processCpuS(pid);
      const server1 = withServer ? serverCpuS() : undefined;
      const ms = (a: number | undefined, b: number | undefined) => (a === undefined || b === undefined ? undefined : ((b - a) * 1000) / messages);
      return { botMs: ms(bot0, bot1), serverMs: ms(server0, server1) };
    },
  };
}
