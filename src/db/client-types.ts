import type { PrismaClient } from '../generated/prisma/client.js';

/** The Prisma client of the product's database. */
export type Db = InstanceType<typeof PrismaClient>;

/** The Prisma client inside an interactive transaction. */
export type Tx = Parameters<Parameters<Db['$transaction']>[0]>[0];
