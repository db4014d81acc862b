// The event-sourced case store: every change to a family is an event appended through the machine,
// chained by hash, with the snapshot and durable timers derived from it in the same transaction.
export { canonicalJson, GENESIS_HASH, hashEvent, type HashedEvent } from './canonical.ts';
export { productionRules, underCurrentRules, type CurrentRulesVerdict, type MachineRules } from './currentRules.ts';
export { invalidateNorms, loadNorms } from './norms.ts';
export type { EventRecord, FamilyRecord, StateAfter } from './records.ts';
export { fold, replay, verify, verifyEvents, type ReplayResult, type VerifyResult } from './replay.ts';
export { Scheduler, type SchedulerOptions } from './scheduler.ts';
export {
  createFamily,
  createFamilyInputSchema,
  dispatch,
  eventOf,
  listEvents,
  loadFamily,
  stateAfterOf,
  type AuditCtx,
  type CreateFamilyContext,
  type CreateFamilyInput,
  type DispatchCommand,
  type DispatchContext,
  type NamedUserResolver,
} from './store.ts';
export { timerId } from './timers.ts';
