import { describe, expect, it } from 'vitest';
import { AUTOMATIC, activeIds, possibleEdgeIds, possibleSteps, statechartOf } from './chartModel.ts';

// The diagram is read from the machine's own definition: its regions, states and arrows are the
// chart's, and what is possible now follows from the active states and the allowed events.

const model = statechartOf(1);
const edge = (source: string, target: string) =>
  model.edges.find((e) => e.source === source && e.target === target);

describe('the statechart model of familyCase', () => {
  it('has the three parallel regions with their states, sub-states inside their parent', () => {
    expect(model.nodes.filter((n) => n.kind === 'region').map((n) => n.id)).toEqual([
      'phase',
      'oversight',
      'escalation',
    ]);
    const ids = model.nodes.map((n) => n.id);
    for (const id of ['phase.reported', 'phase.closed', 'oversight.handoverPending', 'escalation.escalated'])
      expect(ids).toContain(id);
    expect(model.nodes.find((n) => n.id === 'phase.directSafety')).toMatchObject({
      kind: 'compound',
      parentId: 'phase',
    });
    expect(model.nodes.find((n) => n.id === 'phase.directSafety.planAgreed')).toMatchObject({
      kind: 'state',
      parentId: 'phase.directSafety',
      region: 'phase',
    });
  });

  it('draws the arrows of the chart, events grouped per arrow, automatic ones too', () => {
    expect(edge('phase.assessment', 'phase.investigation')?.events).toEqual(['assessment.completed']);
    expect(edge('phase.reported', 'phase.assessment')?.events).toEqual(['assessment.started']);
    expect(edge('phase.stableSafety', 'phase.directSafety.planAgreed')?.events).toEqual([
      'incident.reported',
    ]);
    expect(edge('oversight.vtInvolved', 'oversight.ended')?.events).toEqual([AUTOMATIC]);
    // Recorded without leaving the state: no arrow, listed on the state.
    expect(model.nodes.find((n) => n.id === 'phase.reported')?.selfEvents).toContain('measure.imposed');
    expect(edge('phase.closed', 'phase.assessment')).toBeUndefined();
  });

  it('says what is possible from the active states', () => {
    const active = activeIds({ phase: 'directSafety.planning', oversight: 'vtInvolved', escalation: 'none' });
    expect([...active].sort()).toEqual(
      [
        'escalation',
        'escalation.none',
        'oversight',
        'oversight.vtInvolved',
        'phase',
        'phase.directSafety',
        'phase.directSafety.planning',
      ].sort(),
    );
    const steps = possibleSteps(model, active, ['plan.agreed', 'case.closed', 'incident.reported']);
    expect(steps).toEqual([
      { event: 'plan.agreed', targets: ['phase.directSafety.planAgreed'] },
      { event: 'case.closed', targets: ['phase.closed'] },
      { event: 'incident.reported', targets: [] },
    ]);
    expect([...possibleEdgeIds(model, active, ['plan.agreed'])]).toEqual([
      'phase.directSafety.planning->phase.directSafety.planAgreed',
    ]);
  });
});
