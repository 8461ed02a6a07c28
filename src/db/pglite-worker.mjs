/*
 * The embedded database's thread (see pglite-thread.ts): PGlite — PostgreSQL compiled to WebAssembly —
 * runs here, away from the main thread, which keeps the chat's JavaScript, the channels and the sending.
 * Plain JavaScript: the thread runs without the process's TypeScript loader. It knows one request: the
 * bytes of PostgreSQL's wire protocol, answered with PostgreSQL's reply as bytes; what they mean is the
 * main thread's business.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { PGlite, protocol } from '@electric-sql/pglite';

const ROLLBACK = protocol.serialize.query('ROLLBACK');

const { dataDir, startParams } = workerData;
const pglite = dataDir === 'memory://' ? new PGlite({ startParams }) : new PGlite(dataDir, { startParams });

try {
  await pglite.waitReady;
  parentPort.postMessage({ ready: true });
} catch (error) {
  parentPort.postMessage({ ready: false, error: describe(error) });
  process.exit(1);
}

/*
 * One connection, many callers: a transaction on the main thread sends its statements one by one with
 * JavaScript in between, and nothing else may run on the connection meanwhile. Each request names its
 * owner: a transaction's requests share one, which holds the connection from its first request until the
 * main thread releases it; a request without an owner is a whole transaction in itself (BEGIN … COMMIT in
 * the one request) and runs whenever nobody holds the connection. What cannot run yet waits here, in the
 * order it came, so that the main thread need not wait for one statement before it sends the next.
 */
let holder = null;
const waiting = [];

parentPort.on('message', (request) => {
  if (request.close) {
    close(request.id);
  } else if (request.release !== undefined) {
    release(request.release);
  } else {
    waiting.push(request);
    drain();
  }
});

function drain() {
  for (let i = 0; i < waiting.length; ) {
    const request = waiting[i];
    if (holder === null || request.owner === holder) {
      waiting.splice(i, 1);
      if (request.owner) holder = request.owner;
      run(request);
      // The holder may have changed: look again from the start, for the oldest request that can run now.
      i = 0;
    } else {
      i += 1;
    }
  }
}

function release(owner) {
  // Requests of a transaction that is over (one that failed without waiting for all it had sent) never run.
  for (let i = waiting.length - 1; i >= 0; i -= 1) {
    if (waiting[i].owner === owner) {
      const [request] = waiting.splice(i, 1);
      parentPort.postMessage({ id: request.id, error: 'the transaction is over' });
    }
  }
  if (holder !== owner) return;
  holder = null;
  // A transaction left open (its COMMIT or ROLLBACK never sent) must not take the next owner's statements in.
  if (pglite.isInTransaction()) rollback();
  drain();
}

function rollback() {
  try {
    pglite.execProtocolRawSync(ROLLBACK);
  } catch {
    // The connection's state is PostgreSQL's: the next statement will say what is wrong.
  }
}

function run(request) {
  try {
    // PostgreSQL's answer, copied out of PGlite's memory: the thread's own, handed over without a copy.
    const data = pglite.execProtocolRawSync(request.message);
    // A transaction of one request that failed half-way is still open (PostgreSQL skipped its COMMIT): it
    // is rolled back, so that it takes nothing that follows in with it.
    if (!request.owner && pglite.isInTransaction()) rollback();
    parentPort.postMessage({ id: request.id, data }, [data.buffer]);
  } catch (error) {
    parentPort.postMessage({ id: request.id, error: describe(error) });
  }
}

async function close(id) {
  try {
    await pglite.close();
    parentPort.postMessage({ id, closed: true });
  } catch (error) {
    parentPort.postMessage({ id, error: describe(error) });
  }
}

function describe(error) {
  return error instanceof Error ? (error.stack ?? error.message) : String(error);
}
