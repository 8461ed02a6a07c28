import { type Database, openDatabase } from '../../src/db/database.js';
import type { DatabaseContext } from './databases.js';

/**
 * Another connection to a describeEachDatabase suite's database, as a second process would have. PGlite is
 * one process's database: there the same client is handed back, and closing it does nothing.
 */
export async function anotherConnection(ctx: DatabaseContext): Promise<Pick<Database, 'prisma' | 'close'>> {
  const suite = ctx.db();
  if (suite.kind === 'pglite') return { prisma: suite.prisma, close: async () => {} };
  const url = ctx.url();
  if (!url) throw new Error('the suite has no PostgreSQL database URL');
  return openDatabase({ url, dataDir: '' });
}
