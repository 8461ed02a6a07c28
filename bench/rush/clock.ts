/*
 * Preloaded into a bot process (`node --import tsx --import ./bench/rush/clock.ts src/main.ts`) when
 * BENCH_CLOCK_AT is set: the process's wall clock starts at that moment and runs on at the real pace,
 * so that a rush runs at a chosen moment of the reporting month (no reminder due, or a round due) on any
 * day the bench is run. Only the wall clock moves: `new Date()` and `Date.now()`; timers, the monotonic
 * clock and every other `Date` use are untouched, and every date made is a real Date.
 */
const at = process.env.BENCH_CLOCK_AT;
if (at) {
  const target = Date.parse(at);
  if (Number.isNaN(target)) throw new Error(`BENCH_CLOCK_AT is not a date: ${at}`);
  const RealDate = Date;
  const offset = target - RealDate.now();
  const now = () => RealDate.now() + offset;
  function ShiftedDate(this: unknown, ...args: unknown[]): Date | string {
    if (!new.target) return new RealDate(now()).toString();
    return args.length === 0 ? new RealDate(now()) : new (RealDate as unknown as new (...a: unknown[]) => Date)(...args);
  }
  Object.setPrototypeOf(ShiftedDate, RealDate);
  ShiftedDate.prototype = RealDate.prototype;
  ShiftedDate.now = now;
  globalThis.Date = ShiftedDate as unknown as DateConstructor;
}

export {};
