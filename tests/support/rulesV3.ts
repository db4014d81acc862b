import {
  createFamilyCaseMachineV2,
  legalLimitsV1,
  machineRegistry,
  type FamilyCaseMachine,
  type MachineDefinition,
  type PersistedFamily,
} from '../../machines/index.ts';
import type { MachineRules } from '../../server/engine/index.ts';

// A TEST-ONLY familyCase version 3 for "under today's rules", built on familyCase@2 (the current
// version): suppose the legislator shortens the initial huisverbod from 10 to 7 days. A 10-day order
// decided under v2 (or v1) is then one today's rules refuse; everything else v2 allows stays allowed.
// (machines/familyCase/versioning.test.ts lengthens it instead, to show a case continuing after an
// upgrade; here a recorded decision must become refusable.)
export const limitsV3 = { ...legalLimitsV1, huisverbodInitialDays: 7 };

const v2 = machineRegistry.get(2)!;

const v3: MachineDefinition = {
  version: 3,
  // v2's chart with v3's limits: the v2 context, rules, actions and timers unchanged.
  machine: createFamilyCaseMachineV2({ version: 3, limits: limitsV3 }) as unknown as FamilyCaseMachine,
  limits: limitsV3,
  ...(v2.initialContext ? { initialContext: v2.initialContext } : {}),
  // The context shape did not change: the migration only records the new version.
  migrateFrom: (previous: PersistedFamily) => ({ ...structuredClone(previous), version: 3 }),
};

/** Rules whose current version is the test-only v3 (v1 and v2 stay registered: histories replay under them). */
export const rulesWithV3: MachineRules = { registry: new Map([...machineRegistry, [3, v3]]), currentVersion: 3 };
