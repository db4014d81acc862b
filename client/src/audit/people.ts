import { z } from 'zod';
import type { People } from './names.ts';

// The API's `people` map (issue 13): who each user id in a history or replay step is. Read defensively
// so that an answer without it still shows roles rather than failing.
const peopleSchema = z.record(z.string(), z.object({ displayName: z.string(), roles: z.array(z.string()) }));

export function peopleOf(data: object | null | undefined): People | undefined {
  if (!data || !('people' in data)) return undefined;
  const parsed = peopleSchema.safeParse(data.people);
  return parsed.success ? parsed.data : undefined;
}
