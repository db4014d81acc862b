import { createFamilyCaseMachine, legalLimitsV1, machineRegistry, type MachineDefinition, type PersistedFamily } from '../../machines/index.ts';
import type { MachineRules } from '../../server/engine/index.ts';

// A TEST-ONLY familyCase version 2 for "under today's rules": suppose the legislator shortens the
// initial huisverbod from 10 to 7 days. A 10-day order decided under v1 is then one today's rules
// refuse; everything else stays allowed. (machines/familyCase/versioning.test.ts lengthens it to 14
// days instead, to show a v1 case continuing under v2; here a v1 decision must become refusable.)
export const limitsV2 = { ...legalLimitsV1, huisverbodInitialDays: 7 };

const v2: MachineDefinition = {
  version: 2,
  machine: createFamilyCaseMachine({ version: 2, limits: limitsV2 }),
  limits: limitsV2,
  // The context shape did not change: the migration only records the new version.
  migrateFrom: (previous: PersistedFamily) => ({ ...structuredClone(previous), version: 2 }),
};

/** Rules whose current version is the test-only v2 (v1 stays registered: histories replay under it). */
export const rulesWithV2: MachineRules = { registry: new Map([...machineRegistry, [2, v2]]), currentVersion: 2 };
