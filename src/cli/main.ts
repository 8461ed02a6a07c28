// `npm run cli -- <command>`: the administrator's command line (see `--help`).
import { invocationDir, settingsFileProblem } from '../config.js';
import { translator } from '../core/i18n.js';
import { runCli } from './run.js';

// Output piped into `head` and the like may close early; that is no error of ours.
process.stdout.on('error', (error: NodeJS.ErrnoException) => {
  if (error.code === 'EPIPE') process.exit(0);
  throw error;
});

// The settings file (.env) is the project's, in the folder npm runs the command in.
const unreadable = settingsFileProblem(translator('zh-CN'));
if (unreadable) console.error(unreadable);
// File names are meant from where the command was typed, not from the package's folder npm runs it in.
process.exitCode = unreadable ? 1 : await runCli(process.argv.slice(2), { cwd: invocationDir() });
