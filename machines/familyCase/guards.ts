import type { Decision, FamilyEvent } from '../schemas/events.ts';
import { as, decisionEvent } from './actions.ts';
import type { FamilyContext } from './context.ts';
import type { LegalLimits } from './limits.ts';
import { rules, type RuleName } from './rules/index.ts';
import type { Explanation, Needs, RefusalKind, Rule } from './rules/rule.ts';

// The chart's guards: every rule by its name, plus the routes that pick a transition by the payload
// (which decision, which severity). When the engine asks the machine about an event it registers an
// evaluation for it; the guards then write each rule that refused into it. So a refusal is explained
// from the transitions that did not happen, by the one evaluation the machine made. Without an
// evaluation (an actor, `transition()` in a test or the bench) the guards decide every rule and record
// nothing.

export type Failure = { rule: string; kind: RefusalKind; needs: Needs; explanation: Explanation; from?: string };

type Evaluation = {
  /** What the rules may use: without a payload (allowedEvents) or without one but at a time (blockedEvents). */
  decides: ReadonlySet<Needs>;
  failures: Failure[];
};

export const everything: ReadonlySet<Needs> = new Set(['context', 'time', 'payload']);

// Keyed by the event object the engine hands to xstate, which passes it to every guard unchanged.
const evaluations = new WeakMap<object, Evaluation>();

/** Runs `ask` (a transition or `can` of the machine for `event`) and returns the rules that refused it, in order. */
export function evaluate<T>(
  event: FamilyEvent,
  decides: ReadonlySet<Needs>,
  ask: () => T,
): { answer: T; failures: Failure[] } {
  const evaluation: Evaluation = { decides, failures: [] };
  evaluations.set(event, evaluation);
  try {
    return { answer: ask(), failures: evaluation.failures };
  } finally {
    evaluations.delete(event);
  }
}

type GuardArgs = { context: FamilyContext; event: FamilyEvent };

function ruleGuard<C extends FamilyContext>(name: string, rule: Rule<C>, limits: LegalLimits) {
  return ({ context, event }: { context: C; event: FamilyEvent }): boolean => {
    const evaluation = evaluations.get(event);
    // A rule the evaluation cannot decide (it needs a payload the probe does not have) does not refuse.
    if (evaluation && !evaluation.decides.has(rule.needs)) return true;
    const answer = rule.check(context, event, limits);
    if (answer === null) return true;
    if (evaluation) {
      const { from, ...explanation } = answer;
      evaluation.failures.push({ rule: name, kind: rule.kind, needs: rule.needs, explanation, ...(from ? { from } : {}) });
    }
    return false;
  };
}

/** A route reads the payload; without one every route is open (the rules decide). */
export function route(test: (event: FamilyEvent) => boolean) {
  return ({ event }: GuardArgs): boolean => {
    const evaluation = evaluations.get(event);
    return evaluation && !evaluation.decides.has('payload') ? true : test(event);
  };
}

const decided = (d: Decision) => route((ev) => decisionEvent(ev)?.payload.decision === d);
const severity = (s: 'minor' | 'serious') =>
  route((ev) => as(ev, 'incident.reported')?.payload.severity === s);

/** A set of rules as XState guards, by name. */
export function ruleGuards<C extends FamilyContext, N extends string>(set: Record<N, Rule<C>>, limits: LegalLimits) {
  const named = {} as Record<N, (args: { context: C; event: FamilyEvent }) => boolean>;
  for (const name of Object.keys(set) as N[]) named[name] = ruleGuard(name, set[name], limits);
  return named;
}

/** The routes: which transition an event takes by its payload. */
export const routes = {
  decidedToClose: decided('close'),
  decidedToInvestigate: decided('investigate'),
  decidedOnConditionsAndFollowUp: decided('conditionsAndFollowUp'),
  decidedToHandOver: decided('handover'),
  seriousIncident: severity('serious'),
  minorIncident: severity('minor'),
};

export function guardsFor(limits: LegalLimits) {
  const named = ruleGuards<FamilyContext, RuleName>(rules, limits);
  return {
    ...named,
    ...routes,
  };
}
