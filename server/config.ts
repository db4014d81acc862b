/**
 * The environment, parsed once at start-up. Anything invalid stops the server before it listens,
 * with a message naming the variable; nothing else in server/ reads process.env.
 */
import { z } from 'zod';

const flag = z
  .enum(['true', 'false', '1', '0', 'yes', 'no', ''])
  .transform((v) => v === 'true' || v === '1' || v === 'yes');

/** TRUST_PROXY as Express takes it: a boolean, a hop count, or a list of addresses/subnets. */
const trustProxy = z
  .string()
  .trim()
  .transform((v, ctx): boolean | number | string => {
    if (v === '' || v === 'false' || v === '0') return false;
    if (v === 'true') return true;
    if (/^\d+$/.test(v)) return Number(v);
    if (/^[\w.:/,\s-]+$/.test(v)) return v;
    ctx.addIssue({ code: 'custom', message: 'expected true, false, a hop count, or addresses/subnets' });
    return z.NEVER;
  });

const envSchema = z
  .object({
    DATABASE_URL: z
      .string()
      .trim()
      .default('file:./data/veilig-pad.db')
      .refine((v) => /^file:./.test(v) || /^postgres(ql)?:\/\/./.test(v), {
        message: 'must start with file: (SQLite) or postgresql:// (PostgreSQL)',
      }),
    PORT: z.coerce.number().int().min(0).max(65535).default(3000),
    HOST: z.string().trim().min(1).optional(),
    CLOCK: z.enum(['system', 'manual']).default('system'),
    NODE_ENV: z.enum(['development', 'test', 'production']).default('development'),
    LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
    TRUST_PROXY: trustProxy.default(false),
    SCHEDULER_INTERVAL_MS: z.coerce.number().int().min(100).max(86_400_000).default(30_000),
    /** Optional start of the manual clock (ISO-8601); ignored with CLOCK=system. */
    CLOCK_START: z.iso.datetime({ offset: true }).optional(),
    /** Seed demo data on an empty database (never in production). */
    DEMO_DATA: flag.optional(),
  })
  .superRefine((env, ctx) => {
    if (env.NODE_ENV === 'production' && env.CLOCK === 'manual') {
      ctx.addIssue({
        code: 'custom',
        path: ['CLOCK'],
        message: 'CLOCK=manual is refused with NODE_ENV=production: a movable clock would let anyone rewrite deadlines',
      });
    }
    if (env.NODE_ENV === 'production' && env.DEMO_DATA === true) {
      ctx.addIssue({ code: 'custom', path: ['DEMO_DATA'], message: 'demo data is refused with NODE_ENV=production' });
    }
  });

/** The configuration as the server uses it: the environment parsed and named. */
const configSchema = envSchema.transform((e) => {
  const production = e.NODE_ENV === 'production';
  return {
    databaseUrl: e.DATABASE_URL,
    port: e.PORT,
    host: e.HOST,
    clock: e.CLOCK,
    clockStart: e.CLOCK_START ? new Date(e.CLOCK_START) : undefined,
    nodeEnv: e.NODE_ENV,
    production,
    logLevel: e.LOG_LEVEL,
    trustProxy: e.TRUST_PROXY,
    schedulerIntervalMs: e.SCHEDULER_INTERVAL_MS,
    /** Seed demo data when the database has no users: default on outside production. */
    demoData: production ? false : (e.DEMO_DATA ?? true),
  };
});

export type Config = z.output<typeof configSchema>;

export class ConfigError extends Error {
  readonly issues: { variable: string; message: string }[];
  constructor(issues: { variable: string; message: string }[]) {
    super('invalid configuration:\n' + issues.map((i) => `  ${i.variable}: ${i.message}`).join('\n'));
    this.name = 'ConfigError';
    this.issues = issues;
  }
}

/** An empty variable (`PORT=`) means "not set", as in most shells' .env handling. */
function present(env: Record<string, string | undefined>): Record<string, string> {
  return Object.fromEntries(Object.entries(env).filter((e): e is [string, string] => e[1] !== undefined && e[1] !== ''));
}

/** Parses the environment; throws ConfigError listing every invalid variable. */
export function loadConfig(env: Record<string, string | undefined> = process.env): Config {
  const parsed = configSchema.safeParse(present(env));
  if (!parsed.success) {
    throw new ConfigError(
      parsed.error.issues.map((i) => ({ variable: String(i.path[0] ?? '(environment)'), message: i.message })),
    );
  }
  return parsed.data;
}

/**
 * The log level for the process-wide logger, which exists before the configuration is loaded (and
 * must log a configuration error): LOG_LEVEL when valid, else silent under NODE_ENV=test, else info.
 */
export function bootLogLevel(env: Record<string, string | undefined> = process.env): Config['logLevel'] {
  const e = present(env);
  const level = envSchema.shape.LOG_LEVEL.safeParse(e.LOG_LEVEL);
  if (e.LOG_LEVEL !== undefined && level.success) return level.data;
  return e.NODE_ENV === 'test' ? 'silent' : 'info';
}

/** Whether the process runs under the tests (NODE_ENV=test, which vitest sets): checks too dear for production. */
export function testEnv(env: Record<string, string | undefined> = process.env): boolean {
  return env.NODE_ENV === 'test';
}

/** Whether the process runs with NODE_ENV=production (for library callers without a Config, e.g. the demo seed). */
export function productionEnv(env: Record<string, string | undefined> = process.env): boolean {
  return env.NODE_ENV === 'production';
}

/** The process environment, for an entry point that hands it to loadConfig itself (the user CLI). */
export function processEnvironment(): Record<string, string | undefined> {
  return process.env;
}
