import {
  CURRENT_VERSION,
  createEngine,
  machineRegistry,
  type MachineRegistry,
  type PersistedFamily,
  type Refusal,
} from '../../machines/index.ts';
import type { EventRecord } from './records.ts';
import { eventOf } from './chain.ts';

/**
 * The rules in force: the machine versions the server knows and the one new decisions are held to
 * today. Production uses the machine's own registry; a test can start a server with another
 * (e.g. a test-only version 2) to see how a history fares under it.
 */
export type MachineRules = { registry: MachineRegistry; currentVersion: number };

export const productionRules: MachineRules = { registry: machineRegistry, currentVersion: CURRENT_VERSION };

export type CurrentRulesVerdict = { version: number; allowed: true } | { version: number; allowed: false; refusal: Refusal };

const engines = new WeakMap<MachineRegistry, ReturnType<typeof createEngine>>();

function engineFor(registry: MachineRegistry) {
  let engine = engines.get(registry);
  if (!engine) engines.set(registry, (engine = createEngine(registry)));
  return engine;
}

/**
 * Whether today's machine version would still allow `event` in `before` (the state before it): the
 * snapshot is upgraded to that version through the registry's migrations where it was recorded under
 * an older one, and the event is put to it with its recorded time, actor and payload. A version
 * that cannot take the state (no migration) refuses with the rule `upgradeUnavailable`.
 */
export function underCurrentRules(rules: MachineRules, before: PersistedFamily, event: EventRecord): CurrentRulesVerdict {
  const engine = engineFor(rules.registry);
  const version = rules.currentVersion;
  let snapshot = before;
  if (snapshot.version < version) {
    try {
      snapshot = engine.upgrade(snapshot, version);
    } catch {
      return {
        version,
        allowed: false,
        refusal: {
          kind: 'guard',
          guard: 'upgradeUnavailable',
          state: event.stateAfter.phase,
          message: {
            nl: `Deze casus kan niet worden omgezet naar versie ${version} van de regels.`,
            en: `This case cannot be moved to version ${version} of the rules.`,
          },
        },
      };
    }
  }
  const refusal = engine.explainRefusal(snapshot, eventOf(event));
  return refusal ? { version, allowed: false, refusal } : { version, allowed: true };
}
