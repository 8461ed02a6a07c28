// `npm run cli -- <command>`: the administrator's command line (see `--help`).
import { invocationDir } from '../config.js';
import { runCli } from './run.js';

// Output piped into `head` and the like may close early; that is no error of ours.
process.stdout.on('error', (error: NodeJS.ErrnoException) => {
  if (error.code === 'EPIPE') process.exit(0);
  throw error;
});

// File names are meant from where the command was typed, not from the package's folder npm runs it in.
process.exitCode = await runCli(process.argv.slice(2), { cwd: invocationDir() });
