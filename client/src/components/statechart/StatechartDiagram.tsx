import {
  Handle,
  MarkerType,
  Position,
  ReactFlow,
  Controls,
  type Edge,
  type Node,
  type NodeProps,
} from '@xyflow/react';
import '@xyflow/react/dist/style.css';
import './statechart.css';
import { useEffect, useMemo, useState, type KeyboardEvent } from 'react';
import { useTranslation } from 'react-i18next';
import type { TFunction } from 'i18next';
import { escalationLabel, eventAction, oversightLabel, phaseLabel } from '../../labels.ts';
import type { FamilyState } from '../../types.ts';
import {
  AUTOMATIC,
  activeIds,
  statechartOf,
  possibleEdgeIds,
  possibleSteps,
  type ChartModel,
  type ChartNode,
} from './chartModel.ts';
import { layoutChart, type Box } from './layout.ts';

// The family's statechart, drawn from its machine version's own definition (machines/), laid out by
// elkjs and drawn by @xyflow/react. Loaded lazily (Statechart.tsx): neither library is in the first
// bundle. Active states carry a border, a marker and the word "actief" (not colour alone); the arrows
// possible now are thick and labelled. Nodes are reachable with Tab and move with the arrow keys; a
// text alternative lists the active states and the possible next steps in words. Nothing leaves the
// browser: the chart is computed here from code the client already has.

export type StatechartProps = {
  machineVersion: number;
  state: FamilyState;
  /** The event types possible now (the server's allowedEvents). */
  allowed: readonly string[];
  /** Heading level of the section's title (2 on the family page, 3 inside a replay step). */
  level?: 2 | 3;
  /** Distinguishes ids when more than one chart could be on a page. */
  idPrefix?: string;
};

/** A state's name in the UI language: "Directe veiligheid: plan maken". */
export function stateName(t: TFunction, node: Pick<ChartNode, 'id' | 'region' | 'kind'>): string {
  if (node.kind === 'region') return t(`statechart.region.${node.region}`);
  const value = node.id.split('.').slice(1).join('.');
  if (node.region === 'phase') return phaseLabel(t, value);
  if (node.region === 'oversight') return oversightLabel(t, value);
  return escalationLabel(t, value);
}

type StateData = { label: string; active: boolean; kind: ChartNode['kind']; region: string };

function StateNode({ data }: NodeProps<Node<StateData>>) {
  const { t } = useTranslation();
  return (
    <div className={`sc-node sc-${data.kind}${data.active ? ' sc-active' : ''}`}>
      {data.kind !== 'region' ? <Handle type="target" position={Position.Top} isConnectable={false} /> : null}
      <span className="sc-label">{data.label}</span>
      {data.active && data.kind !== 'region' ? (
        <span className="sc-marker" aria-hidden="true">
          ● {t('statechart.activeWord')}
        </span>
      ) : null}
      {data.kind !== 'region' ? (
        <Handle type="source" position={Position.Bottom} isConnectable={false} />
      ) : null}
    </div>
  );
}

const nodeTypes = { state: StateNode };

const leafSize = (label: string) => ({
  width: Math.max(140, Math.round(label.length * 7.4) + 28),
  height: 56,
});

export function StatechartDiagram({
  machineVersion,
  state,
  allowed,
  level = 2,
  idPrefix = 'statechart',
}: StatechartProps) {
  const { t } = useTranslation();
  const model = useMemo(() => statechartOf(machineVersion), [machineVersion]);
  const active = useMemo(() => activeIds(state), [state]);
  const possibleEdges = useMemo(() => possibleEdgeIds(model, active, allowed), [model, active, allowed]);
  const steps = useMemo(() => possibleSteps(model, active, allowed), [model, active, allowed]);
  const labels = useMemo(() => new Map(model.nodes.map((n) => [n.id, stateName(t, n)])), [model, t]);
  const [boxes, setBoxes] = useState<Map<string, Box> | null>(null);
  const [failed, setFailed] = useState(false);

  useEffect(() => {
    let live = true;
    layoutChart(model, (id) => leafSize(labels.get(id) ?? id))
      .then((b) => {
        if (live) setBoxes(b);
      })
      .catch(() => {
        if (live) setFailed(true);
      });
    return () => {
      live = false;
    };
  }, [model, labels]);

  const nodes: Node<StateData>[] = useMemo(
    () =>
      boxes
        ? model.nodes.map((n) => {
            const box = boxes.get(n.id) ?? { x: 0, y: 0, width: 140, height: 56 };
            const label = labels.get(n.id) ?? n.key;
            const isActive = n.kind !== 'region' && active.has(n.id);
            return {
              id: n.id,
              type: 'state',
              position: { x: box.x, y: box.y },
              ...(n.parentId ? { parentId: n.parentId } : {}),
              width: box.width,
              height: box.height,
              data: { label, active: isActive, kind: n.kind, region: n.region },
              ariaLabel:
                n.kind === 'region'
                  ? t('statechart.regionLabel', { name: label })
                  : t(isActive ? 'statechart.nodeActive' : 'statechart.node', { name: label }),
              className: isActive ? 'sc-wrap-active' : 'sc-wrap',
            };
          })
        : [],
    [boxes, model, labels, active, t],
  );

  const edges: Edge[] = useMemo(
    () =>
      model.edges.map((e) => {
        const possible = possibleEdges.has(e.id);
        const names = e.events.filter((ev) => !possible || allowed.includes(ev));
        return {
          id: e.id,
          source: e.source,
          target: e.target,
          className: possible ? 'sc-edge sc-possible' : 'sc-edge',
          markerEnd: { type: MarkerType.ArrowClosed, width: 16, height: 16 },
          ...(possible
            ? {
                label: names
                  .map((ev) => (ev === AUTOMATIC ? t('statechart.automatic') : eventAction(t, ev)))
                  .join(' / '),
              }
            : {}),
          focusable: false,
        };
      }),
    [model, possibleEdges, allowed, t],
  );

  // Arrow keys move between states in reading order (Tab reaches each one as well).
  const order = useMemo(() => model.nodes.map((n) => n.id), [model]);
  function onKeyDown(e: KeyboardEvent<HTMLDivElement>) {
    const el = (e.target as HTMLElement).closest<HTMLElement>('.react-flow__node');
    const id = el?.dataset.id;
    if (!el || !id) return;
    const i = order.indexOf(id);
    const next =
      e.key === 'ArrowRight' || e.key === 'ArrowDown'
        ? order[Math.min(order.length - 1, i + 1)]
        : e.key === 'ArrowLeft' || e.key === 'ArrowUp'
          ? order[Math.max(0, i - 1)]
          : e.key === 'Home'
            ? order[0]
            : e.key === 'End'
              ? order.at(-1)
              : undefined;
    if (next === undefined) return;
    e.preventDefault();
    e.currentTarget.querySelector<HTMLElement>(`.react-flow__node[data-id="${CSS.escape(next)}"]`)?.focus();
  }

  const H = level === 2 ? 'h2' : 'h3';
  const Sub = level === 2 ? 'h3' : 'h4';
  const titleId = `${idPrefix}-title`;
  const activeStates = model.nodes.filter(
    (n) => n.kind !== 'region' && active.has(n.id) && !hasActiveChild(n, model, active),
  );

  return (
    <section className="statechart" aria-labelledby={titleId} data-testid="statechart">
      <H id={titleId}>{t('statechart.title')}</H>
      <p className="hint" id={`${idPrefix}-help`}>
        {t('statechart.help')}
      </p>
      {failed ? <p className="form-error">{t('statechart.layoutFailed')}</p> : null}
      {/* The picture: a graphic the text below describes in full. */}
      <div className="statechart-canvas" onKeyDown={onKeyDown} data-ready={boxes ? 'true' : 'false'}>
        {boxes ? (
          <ReactFlow
            nodes={nodes}
            edges={edges}
            nodeTypes={nodeTypes}
            fitView
            minZoom={0.1}
            nodesDraggable={false}
            nodesConnectable={false}
            elementsSelectable={false}
            edgesFocusable={false}
            zoomOnScroll={false}
            preventScrolling={false}
            proOptions={{ hideAttribution: true }}
            ariaLabelConfig={{
              'node.a11yDescription.default': t('statechart.nodeHelp'),
              'node.a11yDescription.keyboardDisabled': t('statechart.nodeHelp'),
              'edge.a11yDescription.default': t('statechart.nodeHelp'),
              'controls.ariaLabel': t('statechart.controls'),
              'controls.zoomIn.ariaLabel': t('statechart.zoomIn'),
              'controls.zoomOut.ariaLabel': t('statechart.zoomOut'),
              'controls.fitView.ariaLabel': t('statechart.fitView'),
              'controls.interactive.ariaLabel': t('statechart.controls'),
            }}
            aria-label={t('statechart.canvas')}
          >
            <Controls showInteractive={false} />
          </ReactFlow>
        ) : (
          <p className="loading">{t('statechart.loading')}</p>
        )}
      </div>
      <div className="statechart-text" data-testid="statechart-text">
        <Sub id={`${idPrefix}-active`}>{t('statechart.activeStates')}</Sub>
        <ul aria-labelledby={`${idPrefix}-active`} data-testid="statechart-active">
          {activeStates.map((n) => (
            <li key={n.id}>
              {t(`statechart.region.${n.region}`)}: {labels.get(n.id)}
            </li>
          ))}
        </ul>
        <Sub id={`${idPrefix}-steps`}>{t('statechart.possibleSteps')}</Sub>
        {steps.length === 0 ? (
          <p>{t('statechart.noSteps')}</p>
        ) : (
          <ul aria-labelledby={`${idPrefix}-steps`} data-testid="statechart-steps">
            {steps.map((s) => (
              <li key={s.event}>
                {s.targets.length > 0
                  ? t('statechart.stepTo', {
                      action: eventAction(t, s.event),
                      targets: orList(
                        t,
                        s.targets.map((id) => labels.get(id) ?? id),
                      ),
                    })
                  : t('statechart.stepStays', { action: eventAction(t, s.event) })}
              </li>
            ))}
          </ul>
        )}
      </div>
    </section>
  );
}

/** "a, b of c". */
function orList(t: TFunction, items: string[]): string {
  return items.length <= 1
    ? (items[0] ?? '')
    : t('statechart.or', { head: items.slice(0, -1).join(', '), last: items.at(-1) });
}

function hasActiveChild(n: ChartNode, model: ChartModel, active: Set<string>): boolean {
  return model.nodes.some((c) => c.parentId === n.id && active.has(c.id));
}
