import ELK, { type ElkNode } from 'elkjs/lib/elk.bundled.js';
import type { ChartModel } from './chartModel.ts';

// elkjs's layered layout of the chart: regions side by side, each a box with its states, sub-states
// inside their parent (directSafety). Positions are relative to the parent, as @xyflow/react wants them.

export type Box = { x: number; y: number; width: number; height: number };

const elk = new ELK();

export async function layoutChart(
  model: ChartModel,
  leafSize: (id: string) => { width: number; height: number },
): Promise<Map<string, Box>> {
  const byParent = new Map<string | null, string[]>();
  for (const n of model.nodes) byParent.set(n.parentId, [...(byParent.get(n.parentId) ?? []), n.id]);
  const build = (id: string): ElkNode => {
    const children = byParent.get(id) ?? [];
    if (children.length === 0) return { id, ...leafSize(id) };
    return {
      id,
      children: children.map(build),
      layoutOptions: { 'elk.padding': '[top=44,left=16,bottom=16,right=16]' },
    };
  };
  const graph: ElkNode = {
    id: '__root',
    layoutOptions: {
      'elk.algorithm': 'layered',
      'elk.direction': 'DOWN',
      'elk.hierarchyHandling': 'INCLUDE_CHILDREN',
      'elk.layered.spacing.nodeNodeBetweenLayers': '44',
      'elk.spacing.nodeNode': '28',
      'elk.spacing.componentComponent': '40',
    },
    children: (byParent.get(null) ?? []).map(build),
    edges: model.edges.map((e) => ({ id: e.id, sources: [e.source], targets: [e.target] })),
  };
  const laid = await elk.layout(graph);
  const out = new Map<string, Box>();
  const walk = (n: ElkNode) => {
    for (const c of n.children ?? []) {
      out.set(c.id, { x: c.x ?? 0, y: c.y ?? 0, width: c.width ?? 0, height: c.height ?? 0 });
      walk(c);
    }
  };
  walk(laid);
  return out;
}
