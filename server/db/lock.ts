/**
 * The one lock of the persistence module: a FIFO async lock per SQLite file in this process.
 *
 * better-sqlite3 is synchronous: a statement that meets another connection's write lock makes the
 * whole event loop wait (busy_timeout) for a holder that needs that very event loop to finish. So
 * every use of a SQLite file from this process — Prisma's queries and transactions, direct SQL, the
 * group commit — takes this lock first (server/db/client.ts, server/db/direct.ts); two Db objects
 * on one file (a test's second "process", a CLI inside the server process) queue here instead of
 * blocking. Separate processes wait for each other in SQLite's busy handler. PostgreSQL needs no
 * lock: its row locks and unique keys arbitrate.
 */
export class Lock {
  #tail: Promise<void> = Promise.resolve();

  /** Resolves, in arrival order, to the function that releases the lock (idempotent). */
  acquire(): Promise<() => void> {
    let release!: () => void;
    const released = new Promise<void>((r) => (release = r));
    const acquired = this.#tail.then(() => {
      let done = false;
      return () => {
        if (!done) {
          done = true;
          release();
        }
      };
    });
    this.#tail = this.#tail.then(() => released);
    return acquired;
  }

  async run<T>(fn: () => Promise<T>): Promise<T> {
    const release = await this.acquire();
    try {
      return await fn();
    } finally {
      release();
    }
  }
}

const fileLocks = new Map<string, Lock>();

/** The lock of one SQLite file (absolute path) in this process. */
export function lockOfFile(file: string): Lock {
  let lock = fileLocks.get(file);
  if (!lock) {
    lock = new Lock();
    fileLocks.set(file, lock);
  }
  return lock;
}
