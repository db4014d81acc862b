import { z } from 'zod';

/** An instant, always ISO 8601 with an offset (`Z` or `+01:00`); stored and compared as UTC. */
export const isoDateTime = z.iso.datetime({ offset: true });
export type IsoDateTime = z.infer<typeof isoDateTime>;

export const roleSchema = z.enum(['vt', 'director', 'auditor', 'admin']);
export type Role = z.infer<typeof roleSchema>;

/** Who sent an event. `system` is the scheduler turning a durable timer into an event. */
export const actorSchema = z.object({
  id: z.string().min(1).max(100),
  role: z.enum(['vt', 'director', 'auditor', 'admin', 'system']),
});
export type Actor = z.infer<typeof actorSchema>;

/** Short free text (descriptions, names of professionals). */
export const shortText = z.string().trim().min(1).max(500);
/** Longer free text (summaries, notes, motivations). */
export const longText = z.string().trim().min(1).max(4000);
/** Identifiers inside a case (members, conditions, measures, agreements). */
export const localId = z.string().min(1).max(64);
