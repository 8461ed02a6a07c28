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
  runsAtOnce();
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
  // The connection's state is PostgreSQL's: should this fail, the next statement will say what is wrong.
  exec(ROLLBACK).answered.catch(() => {});
}

function run(request) {
  const { chunks, answered } = exec(request.message);
  // A transaction of one request that failed half-way is still open (PostgreSQL skipped its COMMIT): it
  // is rolled back, so that it takes nothing that follows in with it.
  if (!request.owner && pglite.isInTransaction()) rollback();
  if (chunks.length > 0) {
    // Answered at once, not after the requests queued behind it have run too: the main thread is waiting.
    // PostgreSQL's answer, copied out of PGlite's memory: the thread's own, handed over without a copy.
    const data = joined(chunks);
    parentPort.postMessage({ id: request.id, data }, [data.buffer]);
    // PGlite flushes what PostgreSQL wrote even when the call then throws: that answer is what there is.
    answered.catch(() => {});
  } else {
    // Nothing written, not even ReadyForQuery: the call failed before PostgreSQL answered.
    answered.then(
      () => parentPort.postMessage({ id: request.id, error: 'the embedded database gave no answer' }),
      (error) => parentPort.postMessage({ id: request.id, error: describe(error) }),
    );
  }
}

/*
 * Runs `message` and collects PostgreSQL's answer as bytes (`chunks`, copies). Not `execProtocolRawSync`
 * alone: without a reader of its own it also parses every answer into messages and keeps them, for an
 * `execProtocol` that this thread never calls, so the thread's memory grew with every statement it ever
 * ran. `execProtocolRawStream` hands over the bytes as PostgreSQL writes them and keeps nothing. Without a
 * sync to the file system (this thread's PGlite writes its folder as it goes) the statement has run when
 * the call returns (checked at start, `runsAtOnce`), so the next one cannot start before it; `answered`
 * only settles later, rejected if the call threw.
 */
function exec(message) {
  const chunks = [];
  const answered = pglite.execProtocolRawStream(message, {
    syncToFs: false,
    // A view of PGlite's memory, which the next statement overwrites.
    onRawData: (chunk) => chunks.push(chunk.slice()),
  });
  return { chunks, answered };
}

// A PGlite whose statements no longer run within the call would let this thread's statements overlap.
function runsAtOnce() {
  const { chunks, answered } = exec(protocol.serialize.query('SELECT 1'));
  answered.catch(() => {});
  if (chunks.length === 0) {
    throw new Error('this version of PGlite no longer runs a statement within execProtocolRawStream (see src/db/pglite-worker.mjs)');
  }
}

function joined(chunks) {
  if (chunks.length === 1) return chunks[0];
  const data = new Uint8Array(chunks.reduce((size, chunk) => size + chunk.length, 0));
  let at = 0;
  for (const chunk of chunks) {
    data.set(chunk, at);
    at += chunk.length;
  }
  return data;
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
