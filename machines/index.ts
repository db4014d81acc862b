// The public API of the rules engine. server/ and client/ import from here (and from schemas/), never
// from the files behind it.
export * from './schemas/common.ts';
export * from './schemas/events.ts';

export {
  CURRENT_VERSION,
  applyEvent,
  explainRefusal,
  allowedEvents,
  blockedEvents,
  eventChoices,
  initialFamily,
  stateOf,
  caseDirectorOf,
  getMachine,
  machineRegistry,
  createEngine,
  upgradeSnapshot,
  replayHistory,
  type PersistedFamily,
  type StateValue,
  type Refusal,
  type BlockedEvent,
  type TransitionResult,
  type MachineDefinition,
  type MachineRegistry,
  type FamilyEngine,
} from './familyCase/engine.ts';
export { createFamilyCaseMachine, type FamilyCaseMachine } from './familyCase/familyCase.machine.ts';
export { createFamilyCaseMachineV2 } from './familyCase/familyCaseV2.machine.ts';
export {
  familyContextSchema,
  phaseNames,
  type FamilyContext,
  type PhaseName,
  type Member,
  type Condition,
  type Measure,
  type Handover,
} from './familyCase/context.ts';
export { normsSchema, defaultNorms, normsAt, type Norms, type NormsInput, type NormsPeriod } from './familyCase/norms.ts';
export {
  deadlinesOf,
  openDeadlinesOf,
  dueTimers,
  incidentFree,
  type Deadline,
  type DeadlineStatus,
  type DueTimer,
} from './familyCase/timers.ts';
export { openDeadlinesV2, missedDeadlinesV2, type OpenDeadlineV2 } from './familyCase/timersV2.ts';
export type { FamilyContextV2, FamilyViewFacts } from './familyCase/contextV2.ts';
export { legalLimitsV1, type LegalLimits } from './familyCase/limits.ts';
export { directorEventTypes } from './familyCase/rules/roles.ts';
export {
  CHILD_ACCESS_AGE,
  activeAccess,
  mayHaveAccess,
  planDisagreement,
  shieldedFrom,
} from './familyCase/rules/familyView.ts';
export { phaseLabels } from './familyCase/words.ts';
export type { RuleName } from './familyCase/rules/index.ts';
export type { Explanation } from './familyCase/rules/rule.ts';
export {
  addWorkingDays,
  addMonths,
  addDays,
  dutchHolidays,
  easterSunday,
  isWorkingDay,
  localDateOf,
  workingDaysBetween,
  type HolidayOptions,
} from './familyCase/calendar.ts';
