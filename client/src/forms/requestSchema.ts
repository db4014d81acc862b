import type { TFunction } from 'i18next';
import { z } from 'zod';
import { eventRequestSchema, isDecisionType, type EventRequest } from '../../../contract/index.ts';
import type { UserEventType } from '../../../machines/schemas/events.ts';
import type { FamilyView } from '../types.ts';
import type { ErrorMap } from './errors.tsx';

// What the forms validate with: the draft the inputs edit, turned into the request, checked by the
// very schema the server parses the request with (contract/), plus the form's rules that need the
// family. No rule of the schema is written a second time here.

/**
 * The schema of a form whose draft becomes `request`: `toRequest` builds it, `schema` (the
 * server's) checks it, `check` adds what needs the draft as a whole or the family, at request
 * paths. Issues come at `request.…` and `draft.…` (the form strips both); the output is the
 * request. The check sits on its own field so that it runs even when the schema has refused the
 * request outright (zod skips a schema's refinements then): the user sees every problem at once.
 */
export function requestFormSchema<D, R>(
  schema: z.ZodType<R>,
  toRequest: (draft: D) => unknown,
  check?: (draft: D) => ErrorMap,
  checkPrefix: readonly string[] = [],
) {
  return z
    .any()
    .transform((draft: D) => ({ draft, request: toRequest(draft) }))
    .pipe(
      z.object({
        draft: z.any().superRefine((draft, ctx) => {
          for (const [path, message] of Object.entries(check?.(draft as D) ?? {}))
            ctx.addIssue({ code: 'custom', path: [...checkPrefix, ...path.split('.')], message });
        }),
        request: schema,
      }),
    )
    .transform((v) => v.request as R);
}

/** The draft of an event form: the editor's fields and the motivation. */
export type EventDraft = Record<string, unknown> & { reason: string };

/**
 * An event form's schema: the draft becomes `{ type, expectedVersion, payload, reason }` for the
 * family as it is now (`family()`: after a 409 the next try is based on the reloaded version) and
 * is checked with `eventRequestSchema`, so a decision without a motivation fails here as it would
 * on the server.
 */
export function eventFormSchema<D extends EventDraft>(
  type: UserEventType,
  editor: {
    toPayload: (draft: D, family: FamilyView) => unknown;
    check?: ((draft: D, ctx: { family: FamilyView; t: TFunction }) => ErrorMap) | undefined;
  },
  family: () => FamilyView,
  t: TFunction,
) {
  const decision = isDecisionType(type);
  return requestFormSchema<D, EventRequest>(
    eventRequestSchema as unknown as z.ZodType<EventRequest>,
    (draft) => {
      const reason = draft.reason.trim();
      return {
        type,
        expectedVersion: family().version,
        payload: editor.toPayload(draft, family()),
        // A decision's empty motivation is sent as such so that the schema names it; elsewhere it is left out.
        ...(reason || decision ? { reason: draft.reason } : {}),
      };
    },
    (draft) => editor.check?.(draft, { family: family(), t }) ?? {},
    ['payload'],
  );
}
