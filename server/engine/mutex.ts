/**
 * A FIFO async lock. SQLite has one writer anyway; holding this lock from a dispatch's read of the
 * family through its commit means writers in this process queue instead of racing to a conflict,
 * and never make better-sqlite3 wait synchronously for another connection's write lock.
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
