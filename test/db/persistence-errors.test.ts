import { describe, expect, it } from 'vitest';
import { AppError } from '../../src/core/errors.js';
import { isDatabaseUnreachable } from '../../src/db/persistence-errors.js';

describe('isDatabaseUnreachable', () => {
  it('recognises a server that is down, restarting or dropped the connection, however wrapped', () => {
    const refused = Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:5432'), { code: 'ECONNREFUSED' });
    expect(isDatabaseUnreachable(refused)).toBe(true);
    expect(isDatabaseUnreachable(new Error('Connection terminated unexpectedly'))).toBe(true);
    expect(isDatabaseUnreachable(Object.assign(new Error('terminating connection due to administrator command'), { code: '57P01' }))).toBe(true);
    expect(isDatabaseUnreachable(Object.assign(new Error('the database system is starting up'), { code: '57P03' }))).toBe(true);
    expect(isDatabaseUnreachable(new Error('handling failed', { cause: refused }))).toBe(true);
    expect(isDatabaseUnreachable(new AppError('database_unavailable', 'the database is unavailable'))).toBe(true);
  });

  it('does not take a statement the server refused for an outage', () => {
    expect(isDatabaseUnreachable(Object.assign(new Error('invalid byte sequence for encoding "UTF8": 0x00'), { code: '22021' }))).toBe(false);
    expect(isDatabaseUnreachable(Object.assign(new Error('could not serialize access'), { code: '40001' }))).toBe(false);
    expect(isDatabaseUnreachable(new Error('injected failure: no space left on device'))).toBe(false);
    expect(isDatabaseUnreachable(undefined)).toBe(false);
  });
});
