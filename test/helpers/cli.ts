import { runCli } from '../../src/cli/run.js';

/** Runs the CLI in-process on one embedded database, at a fixed clock, collecting what it prints. */
export function cliOn(dataDir: string, options: { now: Date; cwd?: string }) {
  return async (...argv: string[]) => {
    const out: string[] = [];
    const err: string[] = [];
    const code = await runCli(argv, {
      env: { DATA_DIR: dataDir },
      io: { stdout: (line) => out.push(line), stderr: (line) => err.push(line) },
      now: () => options.now,
      ...(options.cwd === undefined ? {} : { cwd: options.cwd }),
    });
    return { code, out: out.join('\n'), err: err.join('\n') };
  };
}
