import { z } from 'zod';
import { instantInRange, requestInstant } from '../machines/schemas/common.ts';
import { eventTypes, systemEventTypes, type UserEventType } from '../machines/schemas/events.ts';
import { allMunicipalities } from '../machines/schemas/regions.ts';

// Pieces every part of the HTTP contract uses: identifiers, municipalities, paging and instants in
// query strings. The contract (this folder) is what server and client share; it imports only zod and
// the machine's own schemas (machines/schemas), never server/ or client/.

export const municipalitySchema = z.enum(allMunicipalities as [string, ...string[]]);

/** Opaque identifiers in paths and query strings; never personal data. */
export const idSchema = z.string().min(1).max(100).regex(/^[A-Za-z0-9_-]+$/, 'not a valid identifier');

export const familyIdParams = z.object({ id: idSchema });

/** The version of this contract: `info.version` of the OpenAPI document and every response's `API-Version`. */
export const apiVersion = '1.0.0';

const systemTypes: readonly string[] = systemEventTypes;
/** The event types people send (system events come from the scheduler only). */
export const userEventTypes = eventTypes.filter((t): t is UserEventType => !systemTypes.includes(t));
export const userEventTypeSchema = z.enum(userEventTypes as [UserEventType, ...UserEventType[]]);

export const booleanQuery = z.enum(['true', 'false']);
export const pageQuery = z.coerce.number().int().min(1).max(1_000_000).default(1);
export const pageSizeQuery = z.coerce.number().int().min(1).max(100).default(20);

/** A date (taken as 00:00 UTC) or an instant, within the bounds of every request instant. */
export const dateOrInstant = z.union([
  requestInstant,
  z.iso.date().refine((d) => instantInRange(`${d}T00:00:00Z`), { message: 'Must lie between 1900-01-01 and 2100-01-01 / moet tussen 1900-01-01 en 2100-01-01 liggen' }),
]);
