// `npm run chat -- --as <member key>`: talk to the bot in the terminal as a member, on the same database
// and through the same core as every chat channel.
import { settingsFileProblem } from '../config.js';
import { translator } from '../core/i18n.js';
import { runTerminalChat } from './chat.js';

const unreadable = settingsFileProblem(translator('zh-CN'));
if (unreadable) console.error(unreadable);
process.exitCode = unreadable ? 1 : await runTerminalChat({
  argv: process.argv.slice(2),
  input: process.stdin,
  output: process.stdout,
  error: process.stderr,
});
// The chat may end before its input does (the running bot it was held in stopped): stop waiting for lines.
process.stdin.destroy();
