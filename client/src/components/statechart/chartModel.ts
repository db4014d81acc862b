import type { ChartModel } from '../../../../machines/schemas/audit.ts';

// What the diagram and its text alternative derive from the chart (machines/schemas/audit.ts) and a
// family's state: which states are active, which arrows are possible now.

export {
  AUTOMATIC,
  statechartOf,
  type ChartEdge,
  type ChartModel,
  type ChartNode,
} from '../../../../machines/schemas/audit.ts';

/** The state paths active in a family's state: every level of each region's value. */
export function activeIds(state: { phase: string; oversight: string; escalation: string }): Set<string> {
  const out = new Set<string>();
  for (const [region, value] of [
    ['phase', state.phase],
    ['oversight', state.oversight],
    ['escalation', state.escalation],
  ] as const) {
    out.add(region);
    const parts = value.split('.');
    for (let i = 1; i <= parts.length; i++) out.add([region, ...parts.slice(0, i)].join('.'));
  }
  return out;
}

export type PossibleStep = { event: string; targets: string[] };

/**
 * The steps possible now: each allowed event with where it leads from an active state (no target:
 * it is recorded and the state stays). Events are taken in the order the server gave them.
 */
export function possibleSteps(
  model: ChartModel,
  active: Set<string>,
  allowed: readonly string[],
): PossibleStep[] {
  return allowed.map((event) => ({
    event,
    targets: [
      ...new Set(
        model.edges.filter((e) => active.has(e.source) && e.events.includes(event)).map((e) => e.target),
      ),
    ],
  }));
}

/** Edges to highlight: leaving an active state on an allowed event. */
export function possibleEdgeIds(
  model: ChartModel,
  active: Set<string>,
  allowed: readonly string[],
): Set<string> {
  return new Set(
    model.edges
      .filter((e) => active.has(e.source) && e.events.some((ev) => allowed.includes(ev)))
      .map((e) => e.id),
  );
}
