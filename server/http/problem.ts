import { randomUUID } from 'node:crypto';
import { isDatabaseUnavailable } from '../db/unavailable.ts';
import { STATUS_CODES } from 'node:http';
import type { Duplex } from 'node:stream';
import type { Request, Response } from 'express';
import { apiVersion, type Problem } from '../../contract/index.ts';
import { AppError, errorStatus, isAppError, type ErrorCode, type ValidationIssue } from '../errors.ts';
import type { Logger } from '../logger.ts';

// Every failure leaves as application/problem+json (RFC 9457). Only AppError and the body parser's
// own errors say anything specific; everything else is a 500 whose errorId points into the log.

export const PROBLEM_CONTENT_TYPE = 'application/problem+json';

export type Language = 'nl' | 'en';

/** The language of a problem's `title` and `detail`: Accept-Language, Dutch unless English is preferred. */
export function languageOf(req: Pick<Request, 'get'>): Language {
  let best: Language = 'nl';
  let bestQ = 0;
  for (const part of (req.get('accept-language') ?? '').split(',')) {
    const [tag = '', ...params] = part.trim().toLowerCase().split(';');
    const q = Number(params.map((x) => x.trim()).find((x) => x.startsWith('q='))?.slice(2) ?? '1');
    const primary = tag.split('-')[0];
    const lang: Language | null = primary === 'en' ? 'en' : primary === 'nl' ? 'nl' : null;
    // Strictly higher only: at equal weight the earlier one (or Dutch) stands.
    if (lang && Number.isFinite(q) && q > bestQ) [best, bestQ] = [lang, q];
  }
  return best;
}

const titles: Record<ErrorCode, Record<Language, string>> = {
  validation: { nl: 'Het verzoek is niet geldig', en: 'The request is not valid' },
  unauthenticated: { nl: 'Niet aangemeld', en: 'Not signed in' },
  forbidden: { nl: 'Niet toegestaan', en: 'Not allowed' },
  not_found: { nl: 'Niet gevonden', en: 'Not found' },
  method_not_allowed: { nl: 'Methode niet toegestaan', en: 'Method not allowed' },
  conflict: { nl: 'Conflict met de huidige toestand', en: 'Conflict with the current state' },
  payload_too_large: { nl: 'Het verzoek is te groot', en: 'The request body is too large' },
  unsupported_media_type: { nl: 'Niet-ondersteund mediatype', en: 'Unsupported media type' },
  unprocessable: { nl: 'Niet toegestaan in de huidige toestand', en: 'Not allowed in the current state' },
  too_many_requests: { nl: 'Te veel pogingen', en: 'Too many attempts' },
  internal: { nl: 'Interne fout', en: 'Internal error' },
  unavailable: { nl: 'Dienst niet beschikbaar', en: 'Service unavailable' },
};

/** What a Dutch reader sees when a message has no translation below: never raw English. */
const genericDetails: Record<ErrorCode, string> = {
  validation: 'Het verzoek voldoet niet aan de regels; zie `errors`.',
  unauthenticated: 'Meld u aan; uw sessie is mogelijk verlopen.',
  forbidden: 'U mag dit niet doen.',
  not_found: 'Dit bestaat niet, of u mag het niet zien.',
  method_not_allowed: 'Deze methode is op dit adres niet toegestaan; zie de Allow-header.',
  conflict: 'Het verzoek botst met de huidige toestand.',
  payload_too_large: 'Het verzoek is groter dan 64 KiB.',
  unsupported_media_type: 'Stuur de inhoud als application/json.',
  unprocessable: 'Dit is in de huidige toestand niet toegestaan.',
  too_many_requests: 'Te veel pogingen; probeer het later opnieuw.',
  internal: 'Er ging aan onze kant iets mis. Vermeld het errorId als u dit meldt.',
  unavailable: 'De dienst is tijdelijk niet beschikbaar; probeer het later opnieuw.',
};

// The Dutch of the server's own messages (AppError's message is the English one).
const dutch = new Map<string, string>([
  ['The body is not valid JSON', 'De inhoud is geen geldige JSON.'],
  ['The body exceeds 64 KiB', 'De inhoud is groter dan 64 KiB.'],
  ['Send JSON as UTF-8', 'Stuur JSON als UTF-8.'],
  ['The body could not be read', 'De inhoud kon niet worden gelezen.'],
  ['The path is not valid', 'Het pad is niet geldig.'],
  ['Send the body as application/json', 'Stuur de inhoud als application/json.'],
  ['The request does not match its schema', 'Het verzoek voldoet niet aan het schema; zie `errors`.'],
  ['Sign in first, or your session has ended', 'Meld u eerst aan; uw sessie is mogelijk verlopen.'],
  ['Sign in first', 'Meld u eerst aan.'],
  ['Cross-site request refused: send X-CSRF-Token or a same-origin Origin', 'Verzoek van een andere site geweigerd: stuur X-CSRF-Token of een Origin van deze site.'],
  ['Cross-origin request refused', 'Verzoek van een andere herkomst geweigerd.'],
  ['Your role may not use this route', 'Uw rol mag dit adres niet gebruiken.'],
  ['Metrics are served to the local host only', 'Metrieken zijn alleen lokaal beschikbaar.'],
  ['No such route', 'Dit adres bestaat niet.'],
  ['No such family', 'Dit gezin bestaat niet, of u mag het niet zien.'],
  ['No such user', 'Deze gebruiker bestaat niet.'],
  ['No such upgrade', 'Deze overzetting bestaat niet (meer).'],
  ['The family changed since you read it', 'Het gezin is gewijzigd sinds u het opende; laad het opnieuw.'],
  ['Unknown username or wrong password', 'Onbekende gebruikersnaam of onjuist wachtwoord.'],
  ['Too many failed sign-ins; try again later', 'Te veel mislukte aanmeldpogingen; probeer het later opnieuw.'],
  ['The database does not answer', 'De database antwoordt niet.'],
  ['from lies after to', '`from` ligt na `to`.'],
  ['Invalid username', 'Ongeldige gebruikersnaam.'],
  ['A user needs a role', 'Een gebruiker heeft een rol nodig.'],
  // Administration (issue 16)
  ['A user with that username already exists', 'Er bestaat al een gebruiker met deze gebruikersnaam.'],
  ['The password does not meet the rules', 'Het wachtwoord voldoet niet aan de regels; zie `errors`.'],
  ['The activation code is not valid', 'De activeringscode is ongeldig, al gebruikt of verlopen.'],
  ['The current password is wrong', 'Het huidige wachtwoord is onjuist.'],
  ['You cannot disable yourself or take away your own admin role', 'U kunt uzelf niet blokkeren en uw eigen beheerdersrol niet afnemen.'],
  ['Enable the account before resetting it', 'Deblokkeer het account voordat u het herstelt.'],
  ['No such norm', 'Deze norm bestaat niet.'],
  ['The value does not fit the norm', 'De waarde past niet bij deze norm; zie `errors`.'],
]);

function detailIn(app: AppError, lang: Language): string {
  const explained = app.details.explanation?.[lang];
  if (explained) return explained;
  if (lang === 'en') return app.message;
  const route = /^No route (\S+) (\S+)$/.exec(app.message);
  if (route) return `Geen route ${route[1]} ${route[2]}.`;
  const method = /^(\S+) is not allowed here; use (.+)$/.exec(app.message);
  if (method) return `${method[1]} is hier niet toegestaan; gebruik ${method[2]}.`;
  return dutch.get(app.message) ?? genericDetails[app.code];
}

const codeByStatus = new Map<number, ErrorCode>(
  (Object.entries(errorStatus) as [ErrorCode, number][]).map(([code, status]) => [status, code]),
);

export function problemType(code: ErrorCode): string {
  return `urn:veilig-pad:problem:${code.replaceAll('_', '-')}`;
}

/** Zod issues as the contract's `errors: [{ path, message }]`, paths dotted from the input's root. */
export function issuesFrom(
  issues: readonly { path: readonly PropertyKey[]; message: string }[],
  prefix: readonly (string | number)[] = [],
): ValidationIssue[] {
  return issues.map((i) => ({
    path: [...prefix, ...i.path.map((p) => (typeof p === 'symbol' ? String(p) : p))].join('.'),
    message: i.message,
  }));
}

type BodyParserError = Error & { type?: string; status?: number; expose?: boolean };

/** Maps what Express's JSON parser throws to our codes: these are client faults, never 5xx. */
function fromBodyParser(err: BodyParserError): AppError | null {
  switch (err.type) {
    case 'entity.parse.failed':
      return new AppError('validation', 'The body is not valid JSON', {
        errors: [{ path: '', message: 'Malformed JSON / ongeldige JSON' }],
      });
    case 'entity.too.large':
      return new AppError('payload_too_large', 'The body exceeds 64 KiB');
    case 'encoding.unsupported':
    case 'charset.unsupported':
      return new AppError('unsupported_media_type', 'Send JSON as UTF-8');
    case 'request.aborted':
    case 'request.size.invalid':
    case 'entity.verify.failed':
      return new AppError('validation', 'The body could not be read', {
        errors: [{ path: '', message: err.type }],
      });
    case undefined:
    default:
      break;
  }
  // The router's own 400 for a path whose percent-encoding is broken (`/families/%E0%A4%A`): it
  // sets status but not expose, so without this it would leave as a 500.
  if (err instanceof URIError && err.status === 400) {
    return new AppError('validation', 'The path is not valid', {
      errors: [{ path: 'path', message: 'Malformed percent-encoding / ongeldige codering in het pad' }],
    });
  }
  if (typeof err.status === 'number' && err.status >= 400 && err.status < 500 && err.expose) {
    const code = codeByStatus.get(err.status) ?? 'validation';
    return new AppError(code, err.message);
  }
  return null;
}

export type ProblemResponse = { status: number; body: Problem; headers: Record<string, string>; language: Language };

export function toProblem(err: unknown, req: Request, logger: Logger): ProblemResponse {
  // A lost or refused database connection, or SQLite's full disk, is a 503 (try again), not a 500.
  const app = isAppError(err)
    ? err
    : isDatabaseUnavailable(err)
      ? new AppError('unavailable', 'The database is unavailable', { retryAfterSeconds: 5 }, { cause: err })
      : err instanceof Error
        ? fromBodyParser(err)
        : null;
  const instance = req.originalUrl.split('?')[0] ?? '/';
  const lang = languageOf(req);
  if (!app || app.code === 'internal' || app.status >= 500) {
    const errorId = req.requestId ?? randomUUID();
    // The full error (with stack) goes to the log only; the client gets an id to quote.
    logger.error({ err, errorId, method: req.method, path: instance }, 'request failed');
    const code: ErrorCode = app?.code === 'unavailable' ? 'unavailable' : 'internal';
    const retry = app?.details.retryAfterSeconds;
    return {
      status: errorStatus[code],
      headers: retry !== undefined ? { 'Retry-After': String(retry) } : {},
      language: lang,
      body: {
        type: problemType(code),
        title: titles[code][lang],
        status: errorStatus[code],
        detail: lang === 'en' ? 'Something went wrong on our side. Quote the errorId when reporting it.' : genericDetails[code],
        instance,
        errorId,
      },
    };
  }
  const body: Problem = {
    type: problemType(app.code),
    title: titles[app.code][lang],
    status: app.status,
    detail: detailIn(app, lang),
    instance,
  };
  const d = app.details;
  if (d.errors) body.errors = d.errors;
  if (d.currentVersion !== undefined) body.currentVersion = d.currentVersion;
  if (d.existingFamilyId !== undefined) body.existingFamilyId = d.existingFamilyId;
  if (d.guard !== undefined) body.guard = d.guard;
  if (d.state !== undefined) body.state = d.state;
  if (d.explanation) {
    body.explanation = d.explanation;
    body.message = d.explanation[lang];
  }
  const headers: Record<string, string> = {};
  if (d.retryAfterSeconds !== undefined) {
    body.retryAfter = d.retryAfterSeconds;
    headers['Retry-After'] = String(d.retryAfterSeconds);
  }
  if (app.code === 'unauthenticated') headers['WWW-Authenticate'] = 'Bearer realm="veilig-pad"';
  if (d.allow) headers['Allow'] = d.allow.join(', ');
  if (app.code === 'validation' && !body.errors) body.errors = [];
  return { status: app.status, body, headers, language: lang };
}

/**
 * A request Node's HTTP parser refused never reaches Express: answer it here as a problem too, with
 * the version header. Nothing of the request can be trusted, so the language is the default (Dutch)
 * and `instance` names this occurrence instead of a path.
 */
export function answerClientError(err: NodeJS.ErrnoException, socket: Duplex): void {
  if (err.code === 'ECONNRESET' || !socket.writable) {
    socket.destroy();
    return;
  }
  const status = err.code === 'HPE_HEADER_OVERFLOW' ? 431 : err.code === 'ERR_HTTP_REQUEST_TIMEOUT' ? 408 : 400;
  const kinds = {
    400: { type: problemType('validation'), title: 'Geen geldig HTTP-verzoek', detail: 'Het verzoek volgt het HTTP-protocol niet en is niet gelezen.' },
    408: { type: 'urn:veilig-pad:problem:timeout', title: 'Het verzoek duurde te lang', detail: 'Het verzoek kwam niet op tijd binnen en is afgebroken.' },
    431: { type: 'urn:veilig-pad:problem:header-too-large', title: 'De kop van het verzoek is te groot', detail: 'De headers van het verzoek zijn te groot om te lezen.' },
  } as const;
  const body = JSON.stringify({ ...kinds[status], status, instance: `urn:uuid:${randomUUID()}` });
  socket.end(
    `HTTP/1.1 ${status} ${STATUS_CODES[status]}\r\nContent-Type: ${PROBLEM_CONTENT_TYPE}; charset=utf-8\r\n` +
      `Content-Language: nl\r\nAPI-Version: ${apiVersion}\r\n` +
      `Content-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`,
  );
}

export function sendProblem(res: Response, problem: ProblemResponse): void {
  res.status(problem.status);
  for (const [k, v] of Object.entries(problem.headers)) res.setHeader(k, v);
  res.setHeader('Content-Type', `${PROBLEM_CONTENT_TYPE}; charset=utf-8`);
  res.setHeader('Content-Language', problem.language);
  res.send(JSON.stringify(problem.body));
}
