import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../server/config.ts';

describe('loadConfig', () => {
  it('has safe defaults for an empty environment', () => {
    const c = loadConfig({});
    expect(c).toMatchObject({
      databaseUrl: 'file:./data/veilig-pad.db',
      port: 3000,
      clock: 'system',
      nodeEnv: 'development',
      production: false,
      logLevel: 'info',
      trustProxy: false,
      schedulerIntervalMs: 30_000,
      demoData: true,
    });
  });

  it('parses every variable', () => {
    const c = loadConfig({
      DATABASE_URL: 'postgresql://app@db:5432/veilig',
      PORT: '8080',
      CLOCK: 'manual',
      CLOCK_START: '2025-01-06T08:00:00Z',
      NODE_ENV: 'test',
      LOG_LEVEL: 'warn',
      TRUST_PROXY: '1',
      SCHEDULER_INTERVAL_MS: '500',
      DEMO_DATA: 'false',
    });
    expect(c).toMatchObject({
      databaseUrl: 'postgresql://app@db:5432/veilig',
      port: 8080,
      clock: 'manual',
      nodeEnv: 'test',
      logLevel: 'warn',
      trustProxy: 1,
      schedulerIntervalMs: 500,
      demoData: false,
    });
    expect(c.clockStart?.toISOString()).toBe('2025-01-06T08:00:00.000Z');
    expect(loadConfig({ TRUST_PROXY: 'true' }).trustProxy).toBe(true);
    expect(loadConfig({ TRUST_PROXY: 'loopback, 10.0.0.0/8' }).trustProxy).toBe('loopback, 10.0.0.0/8');
  });

  it('treats an empty variable as unset', () => {
    expect(loadConfig({ PORT: '', DATABASE_URL: '' })).toMatchObject({ port: 3000, databaseUrl: 'file:./data/veilig-pad.db' });
  });

  it('refuses CLOCK=manual in production, naming the variable', () => {
    expect(() => loadConfig({ NODE_ENV: 'production', CLOCK: 'manual' })).toThrow(ConfigError);
    expect(() => loadConfig({ NODE_ENV: 'production', CLOCK: 'manual' })).toThrow(/CLOCK: CLOCK=manual is refused with NODE_ENV=production/);
    expect(loadConfig({ NODE_ENV: 'production' })).toMatchObject({ clock: 'system', production: true, demoData: false });
  });

  it('refuses demo data in production', () => {
    expect(() => loadConfig({ NODE_ENV: 'production', DEMO_DATA: 'true' })).toThrow(/DEMO_DATA/);
  });

  it('lists every invalid variable at once', () => {
    let err: unknown;
    try {
      loadConfig({ PORT: 'eighty', CLOCK: 'sundial', DATABASE_URL: 'mysql://x', LOG_LEVEL: 'loud', SCHEDULER_INTERVAL_MS: '5' });
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(ConfigError);
    expect((err as ConfigError).issues.map((i) => i.variable).sort()).toEqual(['CLOCK', 'DATABASE_URL', 'LOG_LEVEL', 'PORT', 'SCHEDULER_INTERVAL_MS']);
  });
});
