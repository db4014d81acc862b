import { keepCurrent } from './actionsV2.ts';
import { currentPhase, type FamilyContext } from './context.ts';
import { emptyV2Facts, type FamilyContextV2 } from './contextV2.ts';
import { Draft } from './draft.ts';

// Migrations between machine versions, at an event boundary (README "Versions"). Each takes a snapshot
// of the version before and returns the corresponding snapshot of its own version. (The snapshot's
// shape is engine.ts's `PersistedFamily`, named here structurally: the engine imports this file.)

type Snapshot = {
  machine: 'familyCase';
  version: number;
  value: { phase: string | Record<string, string>; oversight: string; escalation: string };
  context: FamilyContext;
};

/**
 * familyCase@1 → @2: the v2 context derived from the v1 facts. The lists keep what is current
 * (`keepCurrent`), what v1 kept only as lists is counted, and the obligations v2 adds start with the
 * v2 events (no feedback, first contact or conference is owed for what v1 recorded before the move).
 * A v1 family in `investigation` continues in `investigation.ongoing` (it was decided and under way).
 */
export function migrateV1toV2(previous: Snapshot): Snapshot {
  const v1 = previous.context;
  const phase = currentPhase(v1);
  const decisions = v1.decisions.filter((d) => d.cycle === v1.cycle);
  const named = v1.reports.filter((r) => r.cycle === v1.cycle && r.source !== 'anonymous').length > 0;
  const facts = emptyV2Facts();
  const context: FamilyContextV2 = {
    ...structuredClone(v1),
    ...facts,
    namedReportCycle: named ? v1.cycle : null,
    investigationStartedAt:
      phase === 'investigation' ? (decisions.find((d) => d.decision === 'investigate')?.at ?? null) : null,
    upgrade: { from: previous.version, at: null },
    counts: {
      ...facts.counts,
      reports: v1.reports.length,
      incidents: v1.incidents.length,
      seriousIncidents: v1.incidents.filter((i) => i.severity === 'serious').length,
      checks: v1.checks.length,
      escalations: v1.escalations.length,
      measures: v1.measures.length,
      handovers: v1.handovers.length,
      planVersions: v1.safetyPlan?.version ?? 0,
    },
  };
  const draft = new Draft(context);
  keepCurrent(draft);
  const value = previous.value;
  return {
    machine: 'familyCase',
    version: 2,
    value: { ...value, phase: phase === 'investigation' ? { investigation: 'ongoing' } : value.phase },
    context: draft.done(),
  };
}
