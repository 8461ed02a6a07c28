// `npm run cli -- <command>`: the administrator's command line (see `--help`).
import { runCli } from './run.js';

process.exitCode = await runCli(process.argv.slice(2));
