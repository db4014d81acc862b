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

export type Config = {
  databaseUrl: string;
  port: number;
  host: string | undefined;
  clock: 'system' | 'manual';
  clockStart: Date | undefined;
  nodeEnv: 'development' | 'test' | 'production';
  production: boolean;
  logLevel: 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent';
  trustProxy: boolean | number | string;
  schedulerIntervalMs: number;
  /** Seed demo data when the database has no users: default on outside production. */
  demoData: boolean;
};

export class ConfigError extends Error {
  readonly issues: { variable: string; message: string }[];
  constructor(issues: { variable: string; message: string }[]) {
    super('invalid configuration:\n' + issues.map((i) => `  ${i.variable}: ${i.message}`).join('\n'));
    this.name = 'ConfigError';
    this.issues = issues;
  }
}

/** Parses the environment; throws ConfigError listing every invalid variable. */
export function loadConfig(env: Record<string, string | undefined> = process.env): Config {
  // An empty variable (`PORT=`) means "not set", as in most shells' .env handling.
  const present = Object.fromEntries(Object.entries(env).filter(([, v]) => v !== undefined && v !== ''));
  const parsed = envSchema.safeParse(present);
  if (!parsed.success) {
    throw new ConfigError(
      parsed.error.issues.map((i) => ({ variable: String(i.path[0] ?? '(environment)'), message: i.message })),
    );
  }
  const e = parsed.data;
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
    demoData: production ? false : (e.DEMO_DATA ?? true),
  };
}
