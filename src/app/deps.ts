import type { Db, Tx } from '../db/database.js';

export type { Db, Tx } from '../db/database.js';

/** What every use case may depend on: the database and a clock (tests inject a fixed one). */
export interface AppDeps {
  prisma: Db;
  now: () => Date;
}

/** For use cases that only read: they run as well inside a transaction (seeing its writes) as outside. */
export interface ReadDeps {
  prisma: Db | Tx;
  now: () => Date;
}
