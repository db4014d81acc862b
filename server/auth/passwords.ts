import argon2 from 'argon2';

// argon2id with OWASP's recommended minimum (19 MiB, t=2) raised to 64 MiB / t=3: a login is rare,
// an offline guess should be expensive.
const options = { type: argon2.argon2id, memoryCost: 65536, timeCost: 3, parallelism: 1 } as const;

export function hashPassword(password: string): Promise<string> {
  return argon2.hash(password, options);
}

/**
 * The password hash of an account that has no password (waiting for activation, or reset): not an
 * argon2 hash, so no password matches it.
 */
export const NO_PASSWORD = '!no-password';

export async function verifyPassword(hash: string, password: string): Promise<boolean> {
  if (hash === NO_PASSWORD) {
    // The same cost as a real verification: timing does not tell which accounts wait for activation.
    await argon2.verify(await dummyHash(), password).catch(() => false);
    return false;
  }
  try {
    return await argon2.verify(hash, password);
  } catch {
    return false;
  }
}

/** A valid hash of a random secret: verifying against it costs the same as for a real user. */
let dummy: Promise<string> | undefined;
export function dummyHash(): Promise<string> {
  dummy ??= argon2.hash(crypto.randomUUID(), options);
  return dummy;
}
