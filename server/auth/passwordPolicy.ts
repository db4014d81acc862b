import { readFileSync } from 'node:fs';
import path from 'node:path';
import { AppError, type ValidationIssue } from '../errors.ts';
import { projectRoot } from '../paths.ts';

// The password rule for every password a person sets (activation, a change, the CLI): at least 12
// characters, at most 1024, and not on the bundled list of common passwords (common-passwords.txt,
// compared in lower case), nor the username itself. The demo seed creates its accounts directly and
// is not held to it; production refuses to start while any account has the demo password.

export const MIN_PASSWORD_LENGTH = 12;
export const MAX_PASSWORD_LENGTH = 1024;

let common: Set<string> | undefined;

function commonPasswords(): Set<string> {
  common ??= new Set(
    readFileSync(path.join(projectRoot, 'server', 'auth', 'common-passwords.txt'), 'utf8')
      .split(/\r?\n/)
      .map((l) => l.trim())
      .filter((l) => l !== '' && !l.startsWith('#')),
  );
  return common;
}

export type PasswordProblem = 'tooShort' | 'tooLong' | 'common' | 'username';

/** What is wrong with a new password, or null when it may be used. Length counts code points. */
export function passwordProblem(password: string, username?: string): PasswordProblem | null {
  const length = [...password].length;
  if (length < MIN_PASSWORD_LENGTH) return 'tooShort';
  if (length > MAX_PASSWORD_LENGTH) return 'tooLong';
  const lower = password.toLowerCase();
  if (username && lower === username.toLowerCase()) return 'username';
  if (commonPasswords().has(lower)) return 'common';
  return null;
}

const messages: Record<PasswordProblem, string> = {
  tooShort: `At least ${MIN_PASSWORD_LENGTH} characters / minstens ${MIN_PASSWORD_LENGTH} tekens`,
  tooLong: `At most ${MAX_PASSWORD_LENGTH} characters / hoogstens ${MAX_PASSWORD_LENGTH} tekens`,
  common: 'This password is too common; choose another / dit wachtwoord is te gangbaar; kies een ander',
  username: 'The password may not be the username / het wachtwoord mag niet de gebruikersnaam zijn',
};

/** Throws a 400 naming `path` when the password may not be used. */
export function checkNewPassword(password: string, username: string, path = 'password'): void {
  const problem = passwordProblem(password, username);
  if (!problem) return;
  const issue: ValidationIssue = { path, message: messages[problem] };
  throw new AppError('validation', 'The password does not meet the rules', { errors: [issue] });
}
