/*
 * The reference of the rush bench: a bare telegraf echo bot, long polling the same fake Bot API
 * (BENCH_TOKEN, BENCH_API_ROOT). No database, no outbox, no pace: what telegraf and node alone cost.
 * Logs 'running' as a JSON line on stderr like the bot, and stops on SIGTERM.
 */
import { Telegraf } from 'telegraf';

const bot = new Telegraf(process.env.BENCH_TOKEN ?? '', { telegram: { apiRoot: process.env.BENCH_API_ROOT ?? '' } });
bot.on('text', (ctx) => ctx.reply(ctx.message.text));
const polling = bot.launch(() => console.error(JSON.stringify({ level: 30, msg: 'running' })));
process.once('SIGTERM', () => bot.stop('SIGTERM'));
await polling;
