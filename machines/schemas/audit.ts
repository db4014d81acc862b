import { getMachine } from '../familyCase/engine.ts';

// What the auditor's screens read of the machine itself, for the browser (which may import only
// machines/schemas): the statechart's structure, walked from the machine's own definition (xstate's
// public `root.states`, `transitions` and `always`), so the diagram cannot drift from the rules; and
// the schema of a replayed context, so a replay step is parsed, not cast. Nothing here decides.

export { familyContextSchema, type FamilyContext } from '../familyCase/context.ts';

export type ChartNode = {
  /** The state's path, "phase.directSafety.planning". */
  id: string;
  key: string;
  parentId: string | null;
  /** A region of the parallel root, a state with sub-states, or a leaf. */
  kind: 'region' | 'compound' | 'state';
  /** "phase", "oversight" or "escalation". */
  region: string;
  /** Events handled here without leaving the state (recorded, no arrow). */
  selfEvents: string[];
};

export type ChartEdge = {
  id: string;
  source: string;
  target: string;
  /** Event types that take this arrow; "" is an automatic (eventless) transition. */
  events: string[];
};

export type ChartModel = { nodes: ChartNode[]; edges: ChartEdge[] };

/** The event of an eventless (`always`) transition. */
export const AUTOMATIC = '';

/** The parts of an xstate StateNode this reads (all public). */
export type StateNodeLike = {
  key: string;
  path: readonly string[];
  states: Readonly<Record<string, StateNodeLike>>;
  transitions: ReadonlyMap<string, readonly TransitionLike[]>;
  always?: readonly TransitionLike[] | undefined;
};
type TransitionLike = { target?: readonly { path: readonly string[] }[] | undefined };

export function chartModel(root: StateNodeLike): ChartModel {
  const nodes: ChartNode[] = [];
  const edges = new Map<string, ChartEdge>();

  function visit(node: StateNodeLike, parentId: string | null, region: string) {
    const id = node.path.join('.');
    const self = new Set<string>();
    const add = (eventType: string, targets: readonly { path: readonly string[] }[] | undefined) => {
      const elsewhere = (targets ?? []).map((t) => t.path.join('.')).filter((t) => t !== id);
      if (elsewhere.length === 0) {
        if (eventType !== AUTOMATIC) self.add(eventType);
        return;
      }
      for (const target of elsewhere) {
        const key = `${id}->${target}`;
        const edge = edges.get(key) ?? { id: key, source: id, target, events: [] };
        if (!edge.events.includes(eventType)) edge.events.push(eventType);
        edges.set(key, edge);
      }
    };
    for (const [eventType, list] of node.transitions) for (const tr of list) add(eventType, tr.target);
    for (const tr of node.always ?? []) add(AUTOMATIC, tr.target);
    const children = Object.values(node.states);
    nodes.push({
      id,
      key: node.key,
      parentId,
      kind: parentId === null ? 'region' : children.length > 0 ? 'compound' : 'state',
      region,
      selfEvents: [...self],
    });
    for (const child of children) visit(child, id, region);
  }

  for (const region of Object.values(root.states)) visit(region, null, region.key);
  return { nodes, edges: [...edges.values()] };
}

const models = new Map<number, ChartModel>();

/** The chart of familyCase at `version` (the version a family or an event was recorded under). */
export function statechartOf(version: number): ChartModel {
  let m = models.get(version);
  if (!m) {
    m = chartModel(getMachine(version).root);
    models.set(version, m);
  }
  return m;
}
