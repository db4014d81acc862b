import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';

/** 32 random bytes, base64url: the bearer token and cookie value. Only its SHA-256 is stored. */
export function newToken(): string {
  return randomBytes(32).toString('base64url');
}

export function sha256(value: string): string {
  return createHash('sha256').update(value, 'utf8').digest('hex');
}

/** Compares secrets in constant time so that a mismatch leaks nothing about where it differs. */
export function safeEqual(a: string, b: string): boolean {
  const left = Buffer.from(sha256(a), 'hex');
  const right = Buffer.from(sha256(b), 'hex');
  return timingSafeEqual(left, right) && a.length === b.length;
}

// Activation codes are typed by a person: 16 characters from an alphabet without look-alikes
// (no 0/O, 1/I), in four groups: 80 bits, valid 7 days, one use, throttled like sign-in.
const CODE_ALPHABET = 'ABCDEFGHJKLMNPQRSTUVWXYZ23456789';
export const ACTIVATION_VALID_MS = 7 * 86_400_000;

export function newActivationCode(): string {
  const bytes = randomBytes(16);
  const chars = [...bytes].map((b) => CODE_ALPHABET[b & 31]!);
  return [0, 4, 8, 12].map((i) => chars.slice(i, i + 4).join('')).join('-');
}

/** What is stored and looked up: the SHA-256 of the code as typed, without spaces or dashes, in capitals. */
export function activationCodeHash(code: string): string {
  return sha256(`activation:${code.replace(/[\s-]+/g, '').toUpperCase()}`);
}

// A household member's access code (issue 15): 26 characters from the same alphabet, 130 random bits
// (128 asked), in groups of four; valid 14 days on the engine's clock, one use, throttled like sign-in.
export const MEMBER_CODE_VALID_MS = 14 * 86_400_000;

export function newMemberAccessCode(): string {
  const chars = [...randomBytes(26)].map((b) => CODE_ALPHABET[b & 31]!).join('');
  return chars.match(/.{1,4}/g)!.join('-');
}

/** What is stored and looked up for a member's code: as for activation codes, under its own prefix. */
export function memberAccessCodeHash(code: string): string {
  return sha256(`member:${code.replace(/[\s-]+/g, '').toUpperCase()}`);
}
