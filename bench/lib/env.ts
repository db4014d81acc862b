import os from 'node:os';
import Database from 'better-sqlite3';
import pg from 'pg';

export type Machine = {
  cpu: string;
  cores: number;
  ramGiB: number;
  node: string;
  sqlite: string;
  postgres: string | null;
  platform: string;
};

export async function machineInfo(pgUrl: string | null): Promise<Machine> {
  const mem = new Database(':memory:');
  const sqlite = (mem.prepare('select sqlite_version() as v').get() as { v: string }).v;
  mem.close();
  let postgres: string | null = null;
  if (pgUrl) {
    const c = new pg.Client({ connectionString: pgUrl });
    try {
      await c.connect();
      postgres = (await c.query<{ v: string }>(`SELECT current_setting('server_version') AS v`)).rows[0]?.v ?? null;
    } catch {
      postgres = null;
    } finally {
      await c.end().catch(() => undefined);
    }
  }
  return {
    cpu: os.cpus()[0]?.model ?? 'unknown',
    cores: os.cpus().length,
    ramGiB: Math.round((os.totalmem() / 2 ** 30) * 10) / 10,
    node: process.version,
    sqlite,
    postgres,
    platform: `${os.type()} ${os.release()} ${os.arch()}`,
  };
}

/** 1/5/15-minute load averages: figures taken while other work ran on the machine are noisy. */
export function load(): { at: string; load1: number; load5: number; load15: number } {
  const [load1 = 0, load5 = 0, load15 = 0] = os.loadavg();
  return { at: new Date().toISOString(), load1, load5, load15 };
}
