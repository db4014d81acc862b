import { transition } from 'xstate';
import type { Role } from '../schemas/common.ts';
import {
  eventTypes,
  familyEventSchema,
  systemEventTypes,
  type EventType,
  type FamilyEvent,
  type UserEventType,
} from '../schemas/events.ts';
import { emptyContext, type FamilyContext } from './context.ts';
import { createFamilyCaseMachine, type FamilyCaseMachine } from './familyCase.machine.ts';
import {
  firstFailure,
  legalLimitsV1,
  ruleChains,
  type Explanation,
  type LegalLimits,
  type RefusalKind,
} from './rules.ts';

// The pure API the server and client use: plain-JSON snapshots in, plain-JSON snapshots out. The machine
// is looked up by the version the snapshot records, so cases started under an older version keep the
// rules they were decided under until they are explicitly upgraded.

export const CURRENT_VERSION = 1;

export type StateValue = { phase: string | Record<string, string>; oversight: string; escalation: string };

/** Plain-JSON persisted state (what the DB stores). */
export type PersistedFamily = {
  machine: 'familyCase';
  version: number;
  value: StateValue;
  context: FamilyContext;
};

export type Refusal = {
  kind: RefusalKind;
  guard: string | null;
  /** The phase, e.g. `directSafety.planning`. */
  state: string;
  message: Explanation;
};

export type TransitionResult = { ok: true; next: PersistedFamily } | { ok: false; refusal: Refusal };

export type MachineDefinition = {
  version: number;
  machine: FamilyCaseMachine;
  limits: LegalLimits;
  /** Turns a snapshot of version − 1 into one of this version, at an event boundary. */
  migrateFrom?: (previous: PersistedFamily) => PersistedFamily;
};

export type MachineRegistry = ReadonlyMap<number, MachineDefinition>;

export const machineRegistry: MachineRegistry = new Map([
  [
    1,
    {
      version: 1,
      machine: createFamilyCaseMachine({ version: 1, limits: legalLimitsV1 }),
      limits: legalLimitsV1,
    },
  ],
]);

export function getMachine(version: number, registry: MachineRegistry = machineRegistry): FamilyCaseMachine {
  return definitionOf(registry, version).machine;
}

function definitionOf(registry: MachineRegistry, version: number): MachineDefinition {
  const def = registry.get(version);
  if (!def) throw new Error(`familyCase@${version} is not registered`);
  return def;
}

export function initialFamily(version: number = CURRENT_VERSION): PersistedFamily {
  return {
    machine: 'familyCase',
    version,
    value: { phase: 'reported', oversight: 'vtInvolved', escalation: 'none' },
    context: emptyContext(),
  };
}

export function phaseString(phase: StateValue['phase']): string {
  if (typeof phase === 'string') return phase;
  const [parent, child] = Object.entries(phase)[0] ?? ['unknown', ''];
  return child ? `${parent}.${child}` : parent;
}

export function stateOf(snapshot: PersistedFamily): { phase: string; oversight: string; escalation: string } {
  return {
    phase: phaseString(snapshot.value.phase),
    oversight: snapshot.value.oversight,
    escalation: snapshot.value.escalation,
  };
}

export function caseDirectorOf(snapshot: PersistedFamily): string | null {
  return snapshot.context.caseDirectorId;
}

const phaseLabels: Record<string, Explanation> = {
  reported: { nl: 'gemeld (wachtlijst)', en: 'reported (waiting list)' },
  assessment: { nl: 'veiligheidsbeoordeling', en: 'safety assessment' },
  investigation: { nl: 'onderzoek', en: 'investigation' },
  'directSafety.planning': {
    nl: 'directe veiligheid, veiligheidsplan in de maak',
    en: 'direct safety, safety plan being made',
  },
  'directSafety.planAgreed': {
    nl: 'directe veiligheid, veiligheidsplan afgesproken',
    en: 'direct safety, safety plan agreed',
  },
  stableSafety: { nl: 'stabiele veiligheid', en: 'stable safety' },
  recovery: { nl: 'herstel', en: 'recovery' },
  closed: { nl: 'gesloten', en: 'closed' },
};
const oversightLabels: Record<string, Explanation> = {
  vtInvolved: { nl: 'Veilig Thuis betrokken', en: 'Veilig Thuis involved' },
  handoverPending: { nl: 'overdracht in afwachting', en: 'handover pending' },
  monitoring: { nl: 'Veilig Thuis monitort', en: 'Veilig Thuis monitoring' },
  ended: { nl: 'toezicht Veilig Thuis beëindigd', en: 'Veilig Thuis oversight ended' },
};

function stateRefusal(snapshot: PersistedFamily, type: string): Refusal {
  const s = stateOf(snapshot);
  const phase = phaseLabels[s.phase] ?? { nl: s.phase, en: s.phase };
  const oversight = oversightLabels[s.oversight] ?? { nl: s.oversight, en: s.oversight };
  const escalated = s.escalation === 'escalated';
  return {
    kind: 'state',
    guard: null,
    state: s.phase,
    message: {
      nl: `${type} is nu niet mogelijk (fase: ${phase.nl}; ${oversight.nl}${escalated ? '; geëscaleerd' : ''}).`,
      en: `${type} is not possible now (phase: ${phase.en}; ${oversight.en}${escalated ? '; escalated' : ''}).`,
    },
  };
}

function resolve(def: MachineDefinition, snapshot: PersistedFamily) {
  return def.machine.resolveState({ value: snapshot.value, context: snapshot.context });
}

// The event types a state value accepts depend on the value alone; allowedEvents asks for many types at once.
const acceptedTypesCache = new WeakMap<FamilyCaseMachine, Map<string, ReadonlySet<string>>>();

/** Whether any active state node has a transition for this event type, guards aside. */
function acceptedStructurally(def: MachineDefinition, snapshot: PersistedFamily, type: string): boolean {
  let byValue = acceptedTypesCache.get(def.machine);
  if (!byValue) acceptedTypesCache.set(def.machine, (byValue = new Map()));
  const key = JSON.stringify(snapshot.value);
  let types = byValue.get(key);
  if (!types) {
    const nodes = def.machine.resolveState({ value: snapshot.value, context: emptyContext() })._nodes;
    types = new Set(nodes.flatMap((node) => [...node.transitions.keys()]));
    byValue.set(key, types);
  }
  return types.has(type);
}

function explainWith(
  def: MachineDefinition,
  snapshot: PersistedFamily,
  event: FamilyEvent,
  payloadFreeOnly = false,
): Refusal | null {
  const chain = ruleChains[event.type];
  const state = stateOf(snapshot).phase;
  const fromRule = (f: NonNullable<ReturnType<typeof firstFailure>>): Refusal => ({
    kind: f.kind,
    guard: f.rule,
    state,
    message: f.explanation,
  });
  const role = firstFailure(['roleMaySend'], snapshot.context, event, def.limits);
  if (role) return fromRule(role);
  if (!acceptedStructurally(def, snapshot, event.type)) return stateRefusal(snapshot, event.type);
  const failure = firstFailure(chain, snapshot.context, event, def.limits, {
    payloadFreeOnly,
    skip: ['roleMaySend'],
  });
  return failure ? fromRule(failure) : null;
}

function toPersisted(version: number, value: unknown, context: FamilyContext): PersistedFamily {
  return { machine: 'familyCase', version, value: value as StateValue, context };
}

function invalid(snapshot: PersistedFamily, detail: string): Refusal {
  return {
    kind: 'guard',
    guard: 'payloadInvalid',
    state: stateOf(snapshot).phase,
    message: { nl: `Ongeldige gebeurtenis: ${detail}`, en: `Invalid event: ${detail}` },
  };
}

export type FamilyEngine = ReturnType<typeof createEngine>;

/** The engine bound to a registry; tests bind it to a registry with extra versions. */
export function createEngine(registry: MachineRegistry) {
  function parse(event: FamilyEvent): { ok: true; event: FamilyEvent } | { ok: false; detail: string } {
    const parsed = familyEventSchema.safeParse(event);
    if (!parsed.success) {
      return {
        ok: false,
        detail: parsed.error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`).join('; '),
      };
    }
    return { ok: true, event: parsed.data as FamilyEvent };
  }

  function explainRefusal(snapshot: PersistedFamily, event: FamilyEvent): Refusal | null {
    const parsed = parse(event);
    if (!parsed.ok) return invalid(snapshot, parsed.detail);
    const def = definitionOf(registry, snapshot.version);
    const refusal = explainWith(def, snapshot, parsed.event);
    if (refusal) return refusal;
    // Rules passed but no transition matched (cannot happen by construction; kept as a safety net).
    const current = resolve(def, snapshot);
    const [next] = transition(def.machine, current, parsed.event);
    return next === current ? stateRefusal(snapshot, event.type) : null;
  }

  function applyEvent(snapshot: PersistedFamily, event: FamilyEvent): TransitionResult {
    const parsed = parse(event);
    if (!parsed.ok) return { ok: false, refusal: invalid(snapshot, parsed.detail) };
    const def = definitionOf(registry, snapshot.version);
    const refusal = explainWith(def, snapshot, parsed.event);
    if (refusal) return { ok: false, refusal };
    const current = resolve(def, snapshot);
    const [next] = transition(def.machine, current, parsed.event);
    if (next === current) return { ok: false, refusal: stateRefusal(snapshot, event.type) };
    return { ok: true, next: toPersisted(snapshot.version, next.value, next.context) };
  }

  function allowedEvents(
    snapshot: PersistedFamily,
    actor: { id: string; role: Role | 'system' },
  ): UserEventType[] {
    const def = definitionOf(registry, snapshot.version);
    const recordedAt = snapshot.context.phaseHistory.at(-1)?.at ?? '1970-01-01T00:00:00.000Z';
    return eventTypes
      .filter((type): type is UserEventType => !(systemEventTypes as readonly EventType[]).includes(type))
      .filter((type) => {
        const probe = { type, payload: {}, actor, recordedAt } as unknown as FamilyEvent;
        return explainWith(def, snapshot, probe, true) === null;
      });
  }

  /** Upgrades a snapshot to `toVersion` through each version's migration, between two events. */
  function upgrade(snapshot: PersistedFamily, toVersion: number): PersistedFamily {
    let current = snapshot;
    while (current.version < toVersion) {
      const def = definitionOf(registry, current.version + 1);
      if (!def.migrateFrom)
        throw new Error(`familyCase@${def.version} has no migration from v${current.version}`);
      current = def.migrateFrom(current);
      if (current.version !== def.version)
        throw new Error(`migration to v${def.version} returned v${current.version}`);
    }
    return current;
  }

  /**
   * Rebuilds a case from its history, applying each event under the machine version it was recorded
   * under and upgrading the snapshot where the recorded version changes.
   */
  function replay(
    history: ReadonlyArray<{ event: FamilyEvent; machineVersion: number }>,
  ):
    | { ok: true; snapshot: PersistedFamily; states: PersistedFamily[] }
    | { ok: false; index: number; refusal: Refusal } {
    let snapshot = initialFamily(history[0]?.machineVersion ?? CURRENT_VERSION);
    const states: PersistedFamily[] = [];
    for (const [index, { event, machineVersion }] of history.entries()) {
      if (machineVersion < snapshot.version) {
        return {
          ok: false,
          index,
          refusal: { ...stateRefusal(snapshot, event.type), guard: 'versionRegression' },
        };
      }
      if (machineVersion > snapshot.version) snapshot = upgrade(snapshot, machineVersion);
      const result = applyEvent(snapshot, event);
      if (!result.ok) return { ok: false, index, refusal: result.refusal };
      snapshot = result.next;
      states.push(snapshot);
    }
    return { ok: true, snapshot, states };
  }

  return { applyEvent, explainRefusal, allowedEvents, upgrade, replay };
}

const engine = createEngine(machineRegistry);

/** Deterministic: same snapshot + event → same result. Never throws for a refused event. */
export const applyEvent = engine.applyEvent;
/** null = accepted. */
export const explainRefusal = engine.explainRefusal;
/** What this actor may send now: role, assignment, state, and guards decidable without a payload. */
export const allowedEvents = engine.allowedEvents;
export const upgradeSnapshot = engine.upgrade;
export const replayHistory = engine.replay;
