/**
 * A FIFO async lock, per SQLite file in this process, for writers that would otherwise make
 * better-sqlite3 wait synchronously for another connection's write lock (the scheduler's claims and
 * firings, refusal log rows). dispatch and createFamily do not take it: their commits are grouped in
 * server/db/direct.ts, and the version-checked update decides between concurrent writers.
 */
export class Mutex {
  #tail: Promise<void> = Promise.resolve();

  async run<T>(fn: () => Promise<T>): Promise<T> {
    let release!: () => void;
    const next = new Promise<void>((resolve) => (release = resolve));
    const previous = this.#tail;
    this.#tail = previous.then(() => next);
    await previous;
    try {
      return await fn();
    } finally {
      release();
    }
  }
}

// Keyed by file, not by Db object: better-sqlite3 waits for a busy lock synchronously, so two
// connections of one process to one file (a second Db, a test's second "process") would block the
// event loop that the lock holder needs to finish. Queuing them here avoids that; separate
// processes wait for each other in SQLite's busy handler instead.
const locks = new Map<string, Mutex>();

/** Serialises writers per SQLite file in this process; PostgreSQL relies on its row locks and keys. */
export function writeLock(db: { provider: string; url: string }): Mutex | null {
  if (db.provider !== 'sqlite') return null;
  let lock = locks.get(db.url);
  if (!lock) {
    lock = new Mutex();
    locks.set(db.url, lock);
  }
  return lock;
}

export function withWriteLock<T>(db: { provider: string; url: string }, fn: () => Promise<T>): Promise<T> {
  const lock = writeLock(db);
  return lock ? lock.run(fn) : fn();
}
