import { createActor, type AnyActorScope } from 'xstate';
import { canTake } from './canTake.ts';
import type { ActorRole } from '../schemas/common.ts';
import {
  eventTypes,
  familyEventSchema,
  systemEventTypes,
  type EventType,
  type FamilyEvent,
  type UserEventType,
} from '../schemas/events.ts';
import { emptyContext, type FamilyContext } from './context.ts';
import { emptyContextV2 } from './contextV2.ts';
import { createFamilyCaseMachine, type FamilyCaseMachine } from './familyCase.machine.ts';
import { createFamilyCaseMachineV2 } from './familyCaseV2.machine.ts';
import { migrateV1toV2 } from './migrations.ts';
import { evaluate, everything, type Failure } from './guards.ts';
import { legalLimitsV1, type LegalLimits } from './limits.ts';
import { cap, eventWords, oversightLabels, phaseLabels } from './words.ts';
import { roleRules } from './rules/roles.ts';
import type { Explanation, Needs, RefusalKind, Rule } from './rules/rule.ts';

// The pure API the server and client use: plain-JSON snapshots in, plain-JSON snapshots out. The machine
// is looked up by the version the snapshot records, so cases started under an older version keep the
// rules they were decided under until they are explicitly upgraded.

export const CURRENT_VERSION = 2;

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
  /** The context a new case of this version starts with (default: v1's). */
  initialContext?: () => FamilyContext;
  /** Turns a snapshot of version − 1 into one of this version, at an event boundary. */
  migrateFrom?: (previous: PersistedFamily) => PersistedFamily;
};

export type MachineRegistry = ReadonlyMap<number, MachineDefinition>;

export const machineRegistry: MachineRegistry = new Map<number, MachineDefinition>([
  [
    1,
    {
      version: 1,
      machine: createFamilyCaseMachine({ version: 1, limits: legalLimitsV1 }),
      limits: legalLimitsV1,
    },
  ],
  [
    2,
    {
      version: 2,
      // The v2 context extends v1's: the engine reads both through v1's fields.
      machine: createFamilyCaseMachineV2({ version: 2, limits: legalLimitsV1 }) as unknown as FamilyCaseMachine,
      limits: legalLimitsV1,
      initialContext: emptyContextV2,
      migrateFrom: (previous) => migrateV1toV2(previous),
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
    context: machineRegistry.get(version)?.initialContext?.() ?? emptyContext(),
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

function stateRefusal(snapshot: PersistedFamily, type: string): Refusal {
  const s = stateOf(snapshot);
  const phase = phaseLabels[s.phase] ?? { nl: s.phase, en: s.phase };
  const oversight = oversightLabels[s.oversight] ?? { nl: s.oversight, en: s.oversight };
  const escalated = s.escalation === 'escalated';
  const what = eventWords[type as keyof typeof eventWords] ?? { nl: type, en: type };
  return {
    kind: 'state',
    guard: null,
    state: s.phase,
    message: {
      nl: `${cap(what.nl)} kan nu niet (fase: ${phase.nl}; ${oversight.nl}${escalated ? '; geëscaleerd' : ''}).`,
      en: `You cannot ${what.en} now (phase: ${phase.en}; ${oversight.en}${escalated ? '; escalated' : ''}).`,
    },
  };
}

// The event types a version's chart knows at all (in any state): an older version does not know the
// events a newer one added, and says the family must be moved to the new way of working first.
const knownCache = new WeakMap<FamilyCaseMachine, ReadonlySet<string>>();

function knownTypes(machine: FamilyCaseMachine): ReadonlySet<string> {
  let known = knownCache.get(machine);
  if (!known) knownCache.set(machine, (known = new Set(machine.root.events)));
  return known;
}

function upgradeRequired(snapshot: PersistedFamily, type: string): Refusal {
  const what = eventWords[type as keyof typeof eventWords] ?? { nl: type, en: type };
  return {
    kind: 'state',
    guard: 'upgradeRequired',
    state: stateOf(snapshot).phase,
    message: {
      nl: `${cap(what.nl)} kan alleen in de nieuwe werkwijze: zet de zaak eerst over naar de nieuwe werkwijze.`,
      en: `You can ${what.en} only under the new way of working: move the case to the new way of working first.`,
    },
  };
}

type MachineSnapshot = ReturnType<FamilyCaseMachine['resolveState']>;

// The machine's snapshot behind a plain snapshot, once resolved or made by `decide`, so that asking
// about it again (the answer's allowed and blocked events, the next event on a snapshot the server
// keeps, server/engine/records.ts) does not resolve it again. Keyed by the plain object, which nobody
// changes after it is made.
const resolved = new WeakMap<PersistedFamily, { machine: FamilyCaseMachine; snapshot: MachineSnapshot }>();

function resolve(def: MachineDefinition, snapshot: PersistedFamily): MachineSnapshot {
  const known = resolved.get(snapshot);
  if (known && known.machine === def.machine) return known.snapshot;
  const machineSnapshot = def.machine.resolveState({ value: snapshot.value, context: snapshot.context });
  resolved.set(snapshot, { machine: def.machine, snapshot: machineSnapshot });
  return machineSnapshot;
}

// xstate's `transition(machine, snapshot, event)` makes a new actor (and with it the machine's initial
// state) for every event it is asked about, to have a scope in which nothing happens; that was a
// third of a decision's cost. The chart invokes and spawns nothing and its actions only assign, so
// one such inert scope per machine serves every decision: the next snapshot is the same.
const inertScopes = new WeakMap<FamilyCaseMachine, AnyActorScope>();

function inertScope(machine: FamilyCaseMachine): AnyActorScope {
  let scope = inertScopes.get(machine);
  if (!scope) {
    const self = createActor(machine);
    scope = {
      self,
      id: '',
      sessionId: '',
      logger: () => {},
      defer: () => {},
      emit: () => {},
      system: self.system,
      stopChild: () => {},
      actionExecutor: () => {},
    };
    inertScopes.set(machine, scope);
  }
  return scope;
}

function refusalOf(snapshot: PersistedFamily, failure: Failure): Refusal {
  return {
    kind: failure.kind,
    guard: failure.rule,
    state: stateOf(snapshot).phase,
    message: failure.explanation,
  };
}

const gate: Rule = roleRules.roleMaySend;

/** The gate before the chart: a role that may never send this type learns nothing about the case's state. */
function roleRefusal(def: MachineDefinition, snapshot: PersistedFamily, event: FamilyEvent): Refusal | null {
  const answer = gate.check(snapshot.context, event, def.limits);
  return answer && refusalOf(snapshot, { rule: 'roleMaySend', kind: 'forbidden', needs: gate.needs, explanation: answer });
}

type AnyNode = FamilyCaseMachine['root'];

// The event types a state value has transitions for depend on the value alone (allowedEvents asks only
// the machine about these). Read from the chart's public structure: the active state nodes' `ownEvents`.
const handledCache = new WeakMap<FamilyCaseMachine, Map<string, ReadonlySet<string>>>();

function activeNodes(node: AnyNode, value: unknown, into: AnyNode[]): AnyNode[] {
  into.push(node);
  if (typeof value === 'string') {
    const child = node.states[value];
    if (child) into.push(child);
  } else if (value && typeof value === 'object') {
    for (const [key, sub] of Object.entries(value)) {
      const child = node.states[key];
      if (child) activeNodes(child, sub, into);
    }
  }
  return into;
}

// The same value object is asked about once per role and moment of a page: keyed by the object first.
const handledByObject = new WeakMap<StateValue, { machine: FamilyCaseMachine; types: ReadonlySet<string> }>();

function handledTypes(machine: FamilyCaseMachine, value: StateValue): ReadonlySet<string> {
  const known = handledByObject.get(value);
  if (known?.machine === machine) return known.types;
  const types = handledTypesByKey(machine, value);
  handledByObject.set(value, { machine, types });
  return types;
}

function handledTypesByKey(machine: FamilyCaseMachine, value: StateValue): ReadonlySet<string> {
  let byValue = handledCache.get(machine);
  if (!byValue) handledCache.set(machine, (byValue = new Map()));
  const key = JSON.stringify(value);
  let types = byValue.get(key);
  if (!types) {
    types = new Set(activeNodes(machine.root, value, []).flatMap((node) => node.ownEvents));
    byValue.set(key, types);
  }
  return types;
}

/**
 * Asks the machine. A refusal is explained by the first rule that refused a transition for this event
 * (in the order the chart names them); when no rule refused, no active state has a transition for it.
 */
function decide(def: MachineDefinition, snapshot: PersistedFamily, event: FamilyEvent): TransitionResult {
  const refused = roleRefusal(def, snapshot, event);
  if (refused) return { ok: false, refusal: refused };
  if (!knownTypes(def.machine).has(event.type)) return { ok: false, refusal: upgradeRequired(snapshot, event.type) };
  const current = resolve(def, snapshot);
  const { answer: next, failures } = evaluate(
    event,
    everything,
    () => def.machine.transition(current, event, inertScope(def.machine)),
  );
  if (next !== current) {
    const persisted = toPersisted(snapshot.version, next.value, next.context);
    resolved.set(persisted, { machine: def.machine, snapshot: next });
    return { ok: true, next: persisted };
  }
  const first = failures[0];
  return { ok: false, refusal: first ? refusalOf(snapshot, first) : stateRefusal(snapshot, event.type) };
}

const decidedWithoutPayload: ReadonlySet<Needs> = new Set(['context']);
const decidedNowWithoutPayload: ReadonlySet<Needs> = new Set(['context', 'time']);

/** An event this user could send in this state but a rule refuses now (API.md `FamilyView.blockedEvents`). */
export type BlockedEvent = { type: UserEventType; guard: string; message: Explanation; from?: string };

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

const userEventTypes = eventTypes.filter(
  (type): type is UserEventType => !(systemEventTypes as readonly EventType[]).includes(type),
);

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

  function applyEvent(snapshot: PersistedFamily, event: FamilyEvent): TransitionResult {
    const parsed = parse(event);
    if (!parsed.ok) return { ok: false, refusal: invalid(snapshot, parsed.detail) };
    const at = movedTo(snapshot, parsed.event);
    return decide(definitionOf(registry, at.version), at, parsed.event);
  }

  /** `case.upgraded` to a registered newer version: the snapshot is migrated first, the new chart decides. */
  function movedTo(snapshot: PersistedFamily, event: FamilyEvent): PersistedFamily {
    if (event.type !== 'case.upgraded') return snapshot;
    const to = event.payload.toVersion;
    if (to <= snapshot.version || !registry.has(to)) return snapshot;
    if (roleRefusal(definitionOf(registry, snapshot.version), snapshot, event)) return snapshot;
    return upgrade(snapshot, to);
  }

  function explainRefusal(snapshot: PersistedFamily, event: FamilyEvent): Refusal | null {
    const result = applyEvent(snapshot, event);
    return result.ok ? null : result.refusal;
  }

  function allowedEvents(
    snapshot: PersistedFamily,
    actor: { id: string; role: ActorRole },
  ): UserEventType[] {
    const def = definitionOf(registry, snapshot.version);
    const recordedAt = snapshot.context.phaseHistory.at(-1)?.at ?? '1970-01-01T00:00:00.000Z';
    const handled = handledTypes(def.machine, snapshot.value);
    let current: ReturnType<typeof resolve> | undefined;
    return userEventTypes.filter((type) => {
      if (!handled.has(type)) return false;
      const probe = { type, payload: {}, actor, recordedAt } as unknown as FamilyEvent;
      if (gate.check(snapshot.context, probe, def.limits)) return false;
      current ??= resolve(def, snapshot);
      const machineSnapshot = current;
      return evaluate(probe, decidedWithoutPayload, () => canTake(machineSnapshot, probe)).answer;
    });
  }

  // The snapshot a family under an older version would have after `case.upgraded` to a version, kept
  // per snapshot (a family page asks once per role, and once more for the reason it may be blocked):
  // the migration rebuilds the newer version's facts from the older snapshot, the dearest step of a
  // familyCase@1 family's page. Null when the migration fails (nothing is offered then).
  const upgradedPreview = new WeakMap<PersistedFamily, Map<number, PersistedFamily | null>>();

  function previewUpgrade(snapshot: PersistedFamily, toVersion: number): PersistedFamily | null {
    let byVersion = upgradedPreview.get(snapshot);
    if (!byVersion) {
      byVersion = new Map();
      upgradedPreview.set(snapshot, byVersion);
    }
    let moved = byVersion.get(toVersion);
    if (moved === undefined) {
      try {
        moved = upgrade(snapshot, toVersion);
      } catch {
        moved = null;
      }
      byVersion.set(toVersion, moved);
    }
    return moved;
  }

  /**
   * A family under an older version is offered `case.upgraded` to the next registered version when
   * that version's chart, asked about the migrated snapshot, would take it (its own chart knows no
   * such event: the engine migrates the snapshot first, as applyEvent does). `eventChoices` (the
   * family page's answer) adds it; `allowedEvents` stays the snapshot's own chart's answer (the golden
   * record and the v1 properties draw from it).
   */
  function upgradeOffered(snapshot: PersistedFamily, actor: { id: string; role: ActorRole }, recordedAt: string): boolean {
    const toVersion = snapshot.version + 1;
    const next = registry.get(toVersion);
    if (!next?.migrateFrom) return false;
    const probe = { type: 'case.upgraded', payload: { toVersion }, actor, recordedAt } as unknown as FamilyEvent;
    if (gate.check(snapshot.context, probe, definitionOf(registry, snapshot.version).limits)) return false;
    const moved = previewUpgrade(snapshot, toVersion);
    if (!moved) return false;
    const current = resolve(next, moved);
    return evaluate(probe, decidedWithoutPayload, () => canTake(current, probe)).answer;
  }

  /**
   * The events this user, acting in any of `roles`, could send in this state but a rule refuses now:
   * for each event type the active states handle and the role may send, the chart is asked at `now`
   * without a payload (rules that need the payload do not refuse). When no transition is possible and
   * the first rule that refused is a `guard` (not who the user is, not the state), the event is
   * blocked, with that rule's sentence and, where the rule knows, the date from which it will pass.
   */
  function blockedEvents(
    snapshot: PersistedFamily,
    user: { id: string; roles: readonly (ActorRole)[] },
    now: string,
  ): BlockedEvent[] {
    return eventChoices(snapshot, user, now).blocked;
  }

  /**
   * `allowed`: the union of `allowedEvents` under each of `roles` (in that order); `blocked`: as
   * `blockedEvents`. One pass over the chart for both (a family's answer carries both): the snapshot
   * is resolved once, and an event the chart accepts at `now` is allowed without asking again, since
   * every guard is a conjunction of rules and deciding fewer of them can only accept more. The chart
   * is asked through `canTake` (canTake.ts: xstate's `can`, from transitions compiled once per state).
   */
  function eventChoices(
    snapshot: PersistedFamily,
    user: { id: string; roles: readonly (ActorRole)[] },
    now: string,
  ): { allowed: UserEventType[]; blocked: BlockedEvent[] } {
    const choices = choicesIn(snapshot, user, now, userEventTypes);
    // `case.upgraded` is decided by the newer version's chart on the migrated snapshot (movedTo): an
    // older family offers it when that chart would accept it (the reader may move the family).
    const newest = Math.max(...registry.keys());
    if (newest <= snapshot.version) return choices;
    const moved = previewUpgrade(snapshot, newest);
    if (!moved) return choices;
    // Each type once: `choicesIn` above may already offer `case.upgraded` (upgradeOffered, per role).
    const up = choicesIn(moved, user, now, ['case.upgraded']);
    return { allowed: [...new Set([...choices.allowed, ...up.allowed])], blocked: [...choices.blocked, ...up.blocked] };
  }

  function choicesIn(
    snapshot: PersistedFamily,
    user: { id: string; roles: readonly (ActorRole)[] },
    now: string,
    types: readonly UserEventType[],
  ): { allowed: UserEventType[]; blocked: BlockedEvent[] } {
    const def = definitionOf(registry, snapshot.version);
    const handled = handledTypes(def.machine, snapshot.value);
    const current = resolve(def, snapshot);
    const recordedAt = snapshot.context.phaseHistory.at(-1)?.at ?? '1970-01-01T00:00:00.000Z';
    const allowed = new Set<UserEventType>();
    const allowedNow = new Set<UserEventType>();
    const blocked = new Map<UserEventType, BlockedEvent>();
    for (const role of user.roles) {
      const actor = { id: user.id, role };
      for (const type of types) {
        if (!handled.has(type)) continue;
        const probe = { type, payload: {}, actor, recordedAt: now } as unknown as FamilyEvent;
        if (gate.check(snapshot.context, probe, def.limits)) continue;
        const { answer, failures } = evaluate(probe, decidedNowWithoutPayload, () => canTake(current, probe));
        const first = failures[0];
        if (answer) {
          allowedNow.add(type);
          allowed.add(type);
          continue;
        }
        if (first?.kind === 'guard' && !blocked.has(type))
          blocked.set(type, {
            type,
            guard: first.rule,
            message: first.explanation,
            ...(first.from ? { from: first.from } : {}),
          });
        // Allowed as `allowedEvents` has it (without the time): asked only when a rule that needs the
        // time refused. Otherwise a rule that reads only the family refused, and refuses without the time too.
        if (allowed.has(type) || !failures.some((f) => f.needs === 'time')) continue;
        const untimed = { type, payload: {}, actor, recordedAt } as unknown as FamilyEvent;
        if (evaluate(untimed, decidedWithoutPayload, () => canTake(current, untimed)).answer) allowed.add(type);
      }
      if (!allowed.has('case.upgraded') && upgradeOffered(snapshot, actor, now)) {
        allowed.add('case.upgraded');
        allowedNow.add('case.upgraded');
      }
    }
    return { allowed: [...allowed], blocked: [...blocked.values()].filter((b) => !allowedNow.has(b.type)) };
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

  return { applyEvent, explainRefusal, allowedEvents, blockedEvents, eventChoices, upgrade, replay };
}

const engine = createEngine(machineRegistry);

/** Deterministic: same snapshot + event → same result. Never throws for a refused event. */
export const applyEvent = engine.applyEvent;
/** null = accepted. */
export const explainRefusal = engine.explainRefusal;
/** What this actor may send now: role, assignment, state, and guards decidable without a payload. */
export const allowedEvents = engine.allowedEvents;
/** What this user could send here but a rule refuses now, with why and from when (no payload needed). */
export const blockedEvents = engine.blockedEvents;
/** Both of the above for a user in several roles, in one pass (a family's answer). */
export const eventChoices = engine.eventChoices;
export const upgradeSnapshot = engine.upgrade;
export const replayHistory = engine.replay;
