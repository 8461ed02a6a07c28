import { type ResourceLimits, Worker } from 'node:worker_threads';
import { Mutex, PGlite, protocol } from '@electric-sql/pglite';

/*
 * The embedded database on a thread of its own. PostgreSQL's WebAssembly was half of the main thread's
 * time in the month-end rush, and every chat turn, every send and every Bot API call waited behind it.
 * Here PGlite runs in `pglite-worker.mjs`; this side is PGlite's own query layer (its `query`, `exec`,
 * `transaction` and locks, inherited from the class PGlite itself extends), sending each call's wire
 * protocol to the thread and parsing the answer when it comes back. So Prisma's adapter and the chat's
 * statements (pglite-wire.ts) use it exactly as they used PGlite, and the main thread is free while
 * PostgreSQL works.
 */

type ExecOptions = NonNullable<Parameters<PGlite['execProtocol']>[1]>;
type StreamOptions = Parameters<PGlite['execProtocolRawStream']>[1];
type BackendMessage = Awaited<ReturnType<PGlite['execProtocolStream']>>[number];

/** What the class PGlite extends provides (its query layer); the rest is this file's to provide. */
interface QueryLayer {
  query: PGlite['query'];
  exec: PGlite['exec'];
  transaction: PGlite['transaction'];
  runExclusive: PGlite['runExclusive'];
  _initArrayTypes(options?: { force?: boolean }): Promise<void>;
}

// PGlite's query layer, `BasePGlite` in its sources: the class PGlite extends, which the package does not
// export by name. Checked at load, so that a PGlite that changed its shape fails at once, not in a query.
const QueryLayerBase = Object.getPrototypeOf(PGlite) as new () => QueryLayer;
if (typeof QueryLayerBase?.prototype?.query !== 'function' || typeof QueryLayerBase.prototype.transaction !== 'function') {
  throw new Error('this version of PGlite has no query layer to extend (see src/db/pglite-thread.ts)');
}

interface Pending {
  resolve: (data: Uint8Array) => void;
  reject: (error: Error) => void;
}

type Answer = { ready: boolean; error?: string } | { id: number; data: Uint8Array } | { id: number; closed: true } | { id: number; error: string };

/** PGlite running on its own thread; `open` it, then use it as a PGlite. */
export class ThreadedPGlite extends QueryLayerBase {
  debug = 0 as const;
  readonly #worker: Worker;
  readonly #pending = new Map<number, Pending>();
  readonly #queryMutex = new Mutex();
  readonly #transactionMutex = new Mutex();
  #nextId = 1;
  /** The transaction holding the connection now (`_runExclusiveTransaction`), named for the thread. */
  #owner: number | undefined;
  #owners = 0;
  #ready = false;
  #stopped: Error | undefined;
  readonly waitReady: Promise<void>;

  private constructor(dataDir: string, startParams: string[], resourceLimits: ResourceLimits | undefined) {
    super();
    this.#worker = new Worker(new URL('./pglite-worker.mjs', import.meta.url), {
      workerData: { dataDir, startParams },
      // The process's own flags (its TypeScript loader) are not the thread's: it runs plain JavaScript.
      execArgv: [],
      resourceLimits,
    });
    this.waitReady = new Promise<void>((resolve, reject) => {
      this.#worker.on('message', (answer: Answer) => {
        if ('ready' in answer) {
          if (answer.ready) {
            this.#ready = true;
            if (this.#pending.size === 0) this.#worker.unref();
            resolve();
          } else reject(new Error(`the embedded database could not start: ${answer.error}`));
          return;
        }
        this.#settle(answer);
      });
      this.#worker.on('error', (error) => {
        this.#stop(error);
        reject(error);
      });
      this.#worker.on('exit', (code) => {
        const error = new Error(`the embedded database's thread exited (code ${code})`);
        this.#stop(error);
        reject(error);
      });
    });
  }

  /** Starts PGlite on its thread in `dataDir` (`memory://` for a database in memory) and waits until it is ready. */
  static async open(dataDir: string, options: { startParams: string[]; resourceLimits?: ResourceLimits }): Promise<ThreadedPGlite & PGlite> {
    const db = new ThreadedPGlite(dataDir, options.startParams, options.resourceLimits);
    await db.waitReady;
    // What PGlite itself does once ready: learn the array types, so that arrays come back as arrays.
    await db._initArrayTypes();
    return db as ThreadedPGlite & PGlite;
  }

  get ready(): boolean {
    return this.#ready && !this.#stopped;
  }

  get closed(): boolean {
    return this.#stopped !== undefined;
  }

  async execProtocolRaw(message: Uint8Array, _options?: ExecOptions): Promise<Uint8Array> {
    return this.#call(message, this.#owner);
  }

  // PGlite's syncToFs (for file systems that keep the database in memory first) means nothing on its thread:
  // the thread's PGlite writes its folder as it goes.
  async execProtocolRawStream(message: Uint8Array, { onRawData }: StreamOptions): Promise<void> {
    onRawData(await this.#call(message, this.#owner));
  }

  /**
   * A whole transaction in one request (its BEGIN and COMMIT in `message`): sent at once, without waiting
   * for this side's locks; the thread runs it when no transaction holds the connection, in the order sent.
   */
  execAlone(message: Uint8Array): Promise<Uint8Array> {
    return this.#call(message, undefined);
  }

  async execProtocol(message: Uint8Array, options: ExecOptions = {}): Promise<{ messages: BackendMessage[]; data: Uint8Array }> {
    const data = await this.execProtocolRaw(message, options);
    return { messages: this.#parse(data, options), data };
  }

  async execProtocolStream(message: Uint8Array, options: ExecOptions = {}): Promise<BackendMessage[]> {
    return this.#parse(await this.execProtocolRaw(message, options), options);
  }

  /** Whether a transaction is open: never between this class's calls, whose transactions hold the lock below. */
  isInTransaction(): boolean {
    return false;
  }

  async syncToFs(): Promise<void> {}
  async _handleBlob(): Promise<void> {}
  async _getWrittenBlob(): Promise<undefined> {
    return undefined;
  }
  async _cleanupBlob(): Promise<void> {}

  async _checkReady(): Promise<void> {
    if (this.#stopped) throw this.#stopped;
    await this.waitReady;
  }

  _runExclusiveQuery<T>(fn: () => Promise<T>): Promise<T> {
    return this.#queryMutex.runExclusive(fn);
  }

  /** PGlite's transaction lock: its holder's requests are the only ones the thread runs until it ends. */
  _runExclusiveTransaction<T>(fn: () => Promise<T>): Promise<T> {
    return this.#transactionMutex.runExclusive(async () => {
      const owner = ++this.#owners;
      this.#owner = owner;
      try {
        return await fn();
      } finally {
        this.#owner = undefined;
        if (!this.#stopped) this.#worker.postMessage({ release: owner });
      }
    });
  }

  async listen(): Promise<never> {
    throw new Error('LISTEN is not available on the embedded database');
  }

  async close(): Promise<void> {
    if (this.#stopped) return;
    const id = this.#nextId++;
    await new Promise<Uint8Array>((resolve, reject) => {
      this.#worker.ref();
      this.#pending.set(id, { resolve, reject });
      this.#worker.postMessage({ id, close: true });
    });
    this.#stop(new Error('the embedded database is closed'));
    await this.#worker.terminate();
  }

  #call(message: Uint8Array, owner: number | undefined): Promise<Uint8Array> {
    if (this.#stopped) return Promise.reject(this.#stopped);
    const id = this.#nextId++;
    return new Promise<Uint8Array>((resolve, reject) => {
      // The thread keeps the process alive while it owes an answer, and never otherwise: a script that
      // forgets to close the database still ends.
      if (this.#pending.size === 0) this.#worker.ref();
      this.#pending.set(id, { resolve, reject });
      this.#worker.postMessage({ id, message, owner });
    });
  }

  #settle(answer: Exclude<Answer, { ready: boolean }>): void {
    const call = this.#pending.get(answer.id);
    if (!call) return;
    this.#pending.delete(answer.id);
    if (this.#pending.size === 0) this.#worker.unref();
    if ('data' in answer) call.resolve(answer.data);
    else if ('closed' in answer) call.resolve(new Uint8Array(0));
    else call.reject(new Error(`the embedded database failed: ${answer.error}`));
  }

  // A thread that failed or exited fails what it had under way, and every call after.
  #stop(error: Error): void {
    this.#stopped ??= error;
    const calls = [...this.#pending.values()];
    this.#pending.clear();
    for (const call of calls) call.reject(error);
  }

  /**
   * PostgreSQL's answer as messages, as PGlite's own execProtocol gives them: the first error is thrown
   * (when asked) once the whole answer is read, and nothing after it is kept; notices go to `onNotice`.
   */
  #parse(data: Uint8Array, { throwOnError = true, onNotice }: ExecOptions): BackendMessage[] {
    const results: BackendMessage[] = [];
    let failed: Error | undefined;
    new protocol.Parser().parse(data, (message: BackendMessage) => {
      if (failed) return;
      if (message instanceof protocol.messages.DatabaseError) {
        if (throwOnError) failed = message;
      } else if (message instanceof protocol.messages.NoticeMessage) {
        onNotice?.(message);
      }
      results.push(message);
    });
    if (failed) throw failed;
    return results;
  }
}
