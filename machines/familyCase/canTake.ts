import { and, type AnyMachineSnapshot, type AnyStateMachine, type EventObject } from 'xstate';

// `canTake(snapshot, event)` answers what xstate's `snapshot.can(event)` answers, by the same walk:
// every active region from its deepest state up, in each state the first transition for the event
// whose guard passes, the guards evaluated in the same order (a refused rule records itself in the
// evaluation, guards.ts, so the order is the explanation's). What it saves is xstate's per-call work:
// `StateNode.next` looks its candidates up under a key built anew for every question (a fresh string
// per state and event type, a third of what the family page's choices cost in the bench profile),
// and a guard is resolved through the machine's implementations at every step. Here each state's
// transitions for an event type are compiled once: their guards flattened into the named guard
// functions and built-in checks they call. A machine with anything it cannot compile exactly (a guard
// with params, an event descriptor with a wildcard) is left to xstate whole.
//
// The engine asks this for what a user may send (allowedEvents, the family page's choices); the write
// path's decision stays xstate's own `transition()`. canTake.test.ts holds the two to the same answers
// and the same refusals.

type AnyNode = AnyStateMachine['root'];
type GuardArgs = { context: unknown; event: EventObject };
type Check = (snapshot: AnyMachineSnapshot, args: GuardArgs, params: unknown) => boolean;
type Step = { call: (args: GuardArgs, params: undefined) => boolean } | { builtin: { check: Check } };
type Compiled = { steps: readonly Step[]; effective: boolean };
/** Per state node, its transitions for each event type, compiled. */
type Chart = Map<AnyNode, ReadonlyMap<string, readonly Compiled[]>>;

const andCheck = (and([]) as unknown as { check: Check }).check;

/** A guard as the steps xstate's evaluateGuard would take, or null when it cannot be compiled exactly. */
function stepsOf(machine: AnyStateMachine, guard: unknown): Step[] | null {
  if (guard === undefined) return [];
  if (typeof guard === 'string') {
    const impl = (machine.implementations.guards as Record<string, unknown>)[guard];
    return impl === undefined ? null : stepsOf(machine, impl);
  }
  if (typeof guard !== 'function') return null;
  const check = (guard as { check?: Check }).check;
  if (check === undefined) return [{ call: guard as (args: GuardArgs, params: undefined) => boolean }];
  if (check === andCheck) {
    const steps: Step[] = [];
    for (const inner of (guard as unknown as { guards: unknown[] }).guards) {
      const s = stepsOf(machine, inner);
      if (s === null) return null;
      steps.push(...s);
    }
    return steps;
  }
  // stateIn, not, or: xstate's own check, called as evaluateGuard calls it.
  return [{ builtin: guard as unknown as { check: Check } }];
}

// Per state and event type, its transitions compiled; built for a whole machine at its first question.
const compiledCharts = new WeakMap<AnyStateMachine, Chart | null>();

/** Every state's transitions compiled, or null when any guard or event descriptor cannot be (xstate answers then). */
function compiledChart(machine: AnyStateMachine): Chart | null {
  let chart = compiledCharts.get(machine);
  if (chart === undefined) {
    const nodes: Chart = new Map();
    const compile = (node: AnyNode): boolean => {
      const byType = new Map<string, readonly Compiled[]>();
      for (const [type, transitions] of node.transitions) {
        if (type.includes('*')) return false;
        const compiled: Compiled[] = [];
        for (const t of transitions) {
          const steps = stepsOf(machine, t.guard);
          if (steps === null) return false;
          compiled.push({ steps, effective: t.target !== undefined || t.actions.length > 0 });
        }
        byType.set(type, compiled);
      }
      nodes.set(node, byType);
      return Object.values(node.states).every(compile);
    };
    chart = compile(machine.root) ? nodes : null;
    compiledCharts.set(machine, chart);
  }
  return chart;
}

const none: readonly Compiled[] = [];

/** The transition a state takes for the event (`StateNode.next`), or undefined. */
function nodeNext(
  chart: Chart,
  snapshot: AnyMachineSnapshot,
  node: AnyNode,
  event: EventObject,
): Compiled | undefined {
  const candidates = chart.get(node)?.get(event.type) ?? none;
  if (candidates.length === 0) return undefined;
  const args: GuardArgs = { context: snapshot.context, event };
  for (const candidate of candidates) {
    let passed = true;
    for (const step of candidate.steps) {
      passed = 'call' in step ? step.call(args, undefined) : step.builtin.check(snapshot, args, step.builtin);
      if (!passed) break;
    }
    if (passed) return candidate;
  }
  return undefined;
}

/** xstate's transitionNode: the transitions the active states under `node` take, deepest first. */
function transitionsUnder(
  chart: Chart,
  snapshot: AnyMachineSnapshot,
  node: AnyNode,
  value: unknown,
  event: EventObject,
  into: Compiled[],
): void {
  if (typeof value === 'string') {
    const taken = nodeNext(chart, snapshot, node.states[value]!, event) ?? nodeNext(chart, snapshot, node, event);
    if (taken) into.push(taken);
    return;
  }
  const keys = Object.keys(value as object);
  const start = into.length;
  if (keys.length === 1) {
    transitionsUnder(chart, snapshot, node.states[keys[0]!]!, (value as Record<string, unknown>)[keys[0]!], event, into);
  } else {
    for (const key of keys) {
      const sub = (value as Record<string, unknown>)[key];
      if (sub) transitionsUnder(chart, snapshot, node.states[key]!, sub, event, into);
    }
  }
  if (into.length === start) {
    const taken = nodeNext(chart, snapshot, node, event);
    if (taken) into.push(taken);
  }
}

/** `snapshot.can(event)`, with the same guards called in the same order. */
export function canTake(snapshot: AnyMachineSnapshot, event: EventObject): boolean {
  const chart = compiledChart(snapshot.machine);
  if (chart === null) return snapshot.can(event);
  const taken: Compiled[] = [];
  transitionsUnder(chart, snapshot, snapshot.machine.root, snapshot.value, event, taken);
  return taken.some((t) => t.effective);
}

/** Whether `canTake` answers from the compiled chart (true for every version of familyCase; tested). */
export function compiledForCanTake(machine: AnyStateMachine): boolean {
  return compiledChart(machine) !== null;
}
