import { assign, fromPromise, setup } from 'xstate';
import { replaySchema } from '../../contract/index.ts';
import { api } from './api.ts';
import type { Replay } from './types.ts';

// The auditor's stepper: which step is shown, which recomputed steps are already known, and one
// invocation at a time (a newer GOTO replaces an older one, so a slow answer never shows the wrong
// step).

export type ReplayInput = { familyId: string; total: number; seq?: number };

type Ctx = {
  familyId: string;
  total: number;
  seq: number;
  steps: Record<number, Replay>;
  error: unknown;
};

type Ev =
  | { type: 'FIRST' }
  | { type: 'PREV' }
  | { type: 'NEXT' }
  | { type: 'LAST' }
  | { type: 'GOTO'; seq: number }
  | { type: 'RETRY' };

const clamp = (n: number, total: number) => Math.min(Math.max(1, Math.trunc(n)), Math.max(1, total));

function target(ctx: Ctx, ev: Ev): number {
  switch (ev.type) {
    case 'FIRST':
      return 1;
    case 'PREV':
      return clamp(ctx.seq - 1, ctx.total);
    case 'NEXT':
      return clamp(ctx.seq + 1, ctx.total);
    case 'LAST':
      return ctx.total;
    case 'GOTO':
      return clamp(ev.seq, ctx.total);
    case 'RETRY':
      return ctx.seq;
  }
}

/**
 * Step N and step N-1 (whose allowed events are the alternatives the decider of N had). The actor's
 * abort signal is deliberately not passed to fetch: @xstate/react stops and rehydrates actors when
 * React reconnects effects, and an aborted fetch would then surface as a failed step. A stale answer
 * is harmless: the steps are immutable, and a stopped invocation's result is ignored.
 */
const loadSteps = fromPromise<
  Record<number, Replay>,
  { familyId: string; seq: number; known: Record<number, Replay> }
>(async ({ input }) => {
  const wanted = [input.seq, input.seq - 1].filter((s) => s >= 1 && !input.known[s]);
  const loaded = await Promise.all(
    wanted.map((s) =>
      // rules=current: each step also says whether today's rules would still allow its event.
      api.get(replaySchema, `/families/${encodeURIComponent(input.familyId)}/replay`, {
        seq: s,
        rules: 'current',
      }),
    ),
  );
  const out: Record<number, Replay> = {};
  wanted.forEach((s, i) => {
    const step = loaded[i];
    if (step) out[s] = step;
  });
  return out;
});

export const replayMachine = setup({
  types: { context: {} as Ctx, events: {} as Ev, input: {} as ReplayInput },
  actors: { loadSteps },
  guards: {
    moves: ({ context, event }) => target(context, event) !== context.seq,
  },
  actions: {
    goTo: assign({ seq: ({ context, event }) => target(context, event), error: null }),
  },
}).createMachine({
  id: 'replayStepper',
  context: ({ input }) => ({
    familyId: input.familyId,
    total: input.total,
    seq: clamp(input.seq ?? 1, input.total),
    steps: {},
    error: null,
  }),
  initial: 'loading',
  states: {
    loading: {
      invoke: {
        src: 'loadSteps',
        input: ({ context }) => ({ familyId: context.familyId, seq: context.seq, known: context.steps }),
        onDone: {
          target: 'ready',
          actions: assign({ steps: ({ context, event }) => ({ ...context.steps, ...event.output }) }),
        },
        onError: { target: 'failed', actions: assign({ error: ({ event }) => event.error }) },
      },
      on: {
        // Re-entering restarts the invoke for the newer step; the older one's answer is dropped.
        FIRST: { guard: 'moves', target: 'loading', reenter: true, actions: 'goTo' },
        PREV: { guard: 'moves', target: 'loading', reenter: true, actions: 'goTo' },
        NEXT: { guard: 'moves', target: 'loading', reenter: true, actions: 'goTo' },
        LAST: { guard: 'moves', target: 'loading', reenter: true, actions: 'goTo' },
        GOTO: { guard: 'moves', target: 'loading', reenter: true, actions: 'goTo' },
      },
    },
    ready: {
      on: {
        FIRST: { guard: 'moves', target: 'loading', actions: 'goTo' },
        PREV: { guard: 'moves', target: 'loading', actions: 'goTo' },
        NEXT: { guard: 'moves', target: 'loading', actions: 'goTo' },
        LAST: { guard: 'moves', target: 'loading', actions: 'goTo' },
        GOTO: { guard: 'moves', target: 'loading', actions: 'goTo' },
      },
    },
    failed: {
      on: {
        RETRY: { target: 'loading' },
        FIRST: { target: 'loading', actions: 'goTo' },
        PREV: { target: 'loading', actions: 'goTo' },
        NEXT: { target: 'loading', actions: 'goTo' },
        LAST: { target: 'loading', actions: 'goTo' },
        GOTO: { target: 'loading', actions: 'goTo' },
      },
    },
  },
});
