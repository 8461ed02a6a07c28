import { writeFile } from 'node:fs/promises';
import path from 'node:path';

/*
 * A process's clock moved to a chosen moment (and running on from there), for an end-to-end test whose
 * outcome depends on the date, such as which reminder is due: the bot is spawned with the module this
 * writes as an `--import`, and the test's fakes read the same clock through `now`. Only Date moves:
 * timers keep real time.
 */

/** Writes the preload module into `dir`; `now` is the same shifted clock, for this process's fakes. */
export async function writeClockPreload(dir: string, startAt: Date): Promise<{ file: string; now: () => number }> {
  const offsetMs = startAt.getTime() - Date.now();
  const file = path.join(dir, 'shifted-clock.mjs');
  await writeFile(
    file,
    `// Moves this process's clock by ${offsetMs} ms (written by test/helpers/shifted-clock.ts).
const RealDate = globalThis.Date;
const realNow = RealDate.now.bind(RealDate);
const offsetMs = ${offsetMs};
RealDate.now = () => realNow() + offsetMs;
// A proxy, not a subclass: every Date stays an instance of the one Date, whoever made it.
globalThis.Date = new Proxy(RealDate, {
  construct: (target, args, newTarget) => Reflect.construct(target, args.length === 0 ? [realNow() + offsetMs] : args, newTarget),
  apply: () => new RealDate(realNow() + offsetMs).toString(),
});
`,
  );
  return { file, now: () => Date.now() + offsetMs };
}
