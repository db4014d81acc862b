import { z } from 'zod';
import { isoDateTime, localId, longText, shortText } from '../schemas/common.ts';
import {
  conferenceKind,
  contactInterimPayload,
  informChannel,
  obstacle,
  planResponse,
  riskFactorKind,
  riskFactorStatus,
  traumaScreenedPayload,
  triageInstrument,
  urgency,
} from '../schemas/events.ts';
import { checkSchema, emptyContext, escalationSchema, familyContextSchema, memberSchema, type FamilyContext } from './context.ts';

// familyCase@2's context: current facts only. The full history is the event log; the snapshot keeps
// what the rules and the open deadlines need now, so an event and a family page cost the same at 10 and
// at 10,000 events (DOMAIN.md "Snapshot size"). It keeps v1's field names where the facts are the same,
// so v1's rules read it unchanged, but every list is bounded by what is current, never by the length of
// the history:
//  - one entry for what v1 keeps as a history of entries: the current phase, the last handover, the last
//    closure, the latest follow-up start, check, incident, stability confirmation and assessment start;
//  - the current cycle's decisions (at most an assessment and an investigation) and its conditions
//    (withdrawn ones are dropped), the reports the open assessment deadline and the six-month clock need;
//  - the live measures, the unresolved escalation, the missed-deadline signals of deadlines still open;
//  - per member or per kind: members, trauma screenings, risk factors; the latest conference's agreements.
// What v1 kept as lists for counting is kept as counts.

export const memberV2Schema = memberSchema.extend({ expectedMonth: z.string().optional() });

const v1 = familyContextSchema.shape;
const signalsV2Schema = z.object({
  missed: v1.signals.shape.missed.max(200),
  reviewsDue: v1.signals.shape.reviewsDue.max(1),
  stagnation: v1.signals.shape.stagnation.max(1),
});

/** Feedback after a decision (Handelingsprotocol): to the reporter (unless anonymous) and the household. */
export const feedbackSchema = z.object({
  /** The decision's id (the deadline's ref). */
  ref: localId,
  at: isoDateTime,
  reporterNeeded: z.boolean(),
  reporterAt: isoDateTime.nullable(),
  householdAt: isoDateTime.nullable(),
});

export const conferenceSchema = z.object({
  id: localId,
  kind: conferenceKind,
  heldAt: isoDateTime,
  nextAt: isoDateTime.nullable(),
  withMandate: z.boolean(),
  agreements: z
    .array(z.object({ id: localId, description: shortText, responsible: shortText, dueAt: isoDateTime.nullable() }))
    .max(100),
});

/**
 * The family's own view (DOMAIN.md "The family's own view"): per member the latest access granted, the
 * latest shield and the latest answer to the plan. Absent until the first of these events, so every
 * snapshot recorded before it stays byte-identical.
 */
export const familyViewFactsSchema = z.object({
  access: z
    .array(
      z.object({
        memberId: localId,
        grantedAt: isoDateTime,
        /** Until when the code opens (the access itself lasts until it is revoked or the case closes). */
        expiresAt: isoDateTime,
        by: z.string(),
        revokedAt: isoDateTime.nullable(),
      }),
    )
    .max(300),
  /** Member `memberId`'s data is hidden from the members in `from`. */
  shields: z.array(z.object({ memberId: localId, from: z.array(localId).max(30) })).max(300),
  responses: z
    .array(
      z.object({
        memberId: localId,
        planVersion: z.int().min(1),
        response: planResponse,
        comment: longText.nullable(),
        at: isoDateTime,
      }),
    )
    .max(300),
});
export type FamilyViewFacts = z.infer<typeof familyViewFactsSchema>;

export const countsSchema = z.object({
  reports: z.int().min(0),
  incidents: z.int().min(0),
  seriousIncidents: z.int().min(0),
  checks: z.int().min(0),
  checksWithRecoveryAttention: z.int().min(0),
  conferences: z.int().min(0),
  escalations: z.int().min(0),
  /** Escalations by obstacle ("belemmerende factoren"). */
  obstacles: z.partialRecord(obstacle, z.int().min(0)),
  measures: z.int().min(0),
  handovers: z.int().min(0),
  planVersions: z.int().min(0),
});
export type Counts = z.infer<typeof countsSchema>;

export const familyContextV2Schema = familyContextSchema.extend({
  phaseHistory: v1.phaseHistory.max(1),
  members: z.array(memberV2Schema).max(300),
  /** The first intake report of the cycle, the earliest acute and regular ones, and the latest report. */
  reports: v1.reports.max(4),
  assessmentsStarted: v1.assessmentsStarted.max(1),
  decisions: v1.decisions.max(2),
  conditions: v1.conditions.max(100),
  incidents: v1.incidents.max(1),
  measures: v1.measures.max(100),
  handovers: v1.handovers.max(1),
  followUpStarts: v1.followUpStarts.max(1),
  checks: z.array(checkSchema.extend({ recoveryAttention: z.boolean().optional() })).max(1),
  escalations: z.array(escalationSchema.extend({ obstacles: z.array(obstacle).optional() })).max(1),
  stabilityConfirmations: v1.stabilityConfirmations.max(1),
  closures: v1.closures.max(1),
  signals: signalsV2Schema,
  // --- familyCase@2 ---------------------------------------------------------------------------------
  /** The urgency VT set for the current report (orders the waiting list), with how and by whom. */
  triage: z
    .object({
      urgency,
      at: isoDateTime,
      instrument: triageInstrument.nullable(),
      score: z.number().nullable(),
      notes: longText.nullable(),
      by: z.string(),
    })
    .nullable(),
  /** The latest interim contact while the family waits (`reported`). */
  interimContactAt: isoDateTime.nullable(),
  /** With whom that interim contact was. */
  interimContactWith: contactInterimPayload.shape.with.nullable(),
  /** The latest feedback given to the reporter and to the household (when and how). */
  informed: z.object({
    reporter: z.object({ at: isoDateTime, channel: informChannel }).nullable(),
    household: z.object({ at: isoDateTime, channel: informChannel }).nullable(),
  }),
  /** When VT started its investigation (`investigation.ongoing`), null while it waits. */
  investigationStartedAt: isoDateTime.nullable(),
  /** The latest cycle with a report from a known reporter (an anonymous report needs no feedback). */
  namedReportCycle: z.int().nullable(),
  /** Feedback still owed after decisions (answered ones are dropped). */
  feedback: z.array(feedbackSchema).max(4),
  /** After a handover to a local-team director: first contact and first plan, until both are recorded. */
  afterHandover: z
    .object({
      ref: localId,
      acceptedAt: isoDateTime,
      firstContactAt: isoDateTime.nullable(),
      /** The members of that first contact, and whether it was together with Veilig Thuis. */
      firstContactWith: z.array(localId).max(30),
      warm: z.boolean().nullable(),
      firstPlanAt: isoDateTime.nullable(),
    })
    .nullable(),
  /** The latest case conference: its agreements and the next one. */
  conference: conferenceSchema.nullable(),
  /** The risk factors, one per kind, with their current status. */
  riskFactors: z
    .array(z.object({ kind: riskFactorKind, status: riskFactorStatus, notes: longText.nullable(), at: isoDateTime }))
    .max(9),
  /** The latest trauma screening per member. */
  screenings: z.array(traumaScreenedPayload.extend({ at: isoDateTime })).max(300),
  /** The members `recovery.completed` excused from a screening, with the reason (the last closure's). */
  excused: z.array(z.object({ memberId: localId, reason: shortText })).max(30),
  /** Set by a migration from an older version; `at` by the `case.upgraded` event that moved the family. */
  upgrade: z.object({ from: z.int(), at: isoDateTime.nullable() }).nullable(),
  counts: countsSchema,
  /** The family's own view: access, shields, answers to the plan (absent until one is recorded). */
  familyView: familyViewFactsSchema.optional(),
});

export type FamilyContextV2 = z.infer<typeof familyContextV2Schema>;
export type V2Facts = Omit<FamilyContextV2, keyof FamilyContext>;

export const emptyCounts = (): Counts => ({
  reports: 0,
  incidents: 0,
  seriousIncidents: 0,
  checks: 0,
  checksWithRecoveryAttention: 0,
  conferences: 0,
  escalations: 0,
  obstacles: {},
  measures: 0,
  handovers: 0,
  planVersions: 0,
});

export const emptyV2Facts = (): V2Facts => ({
  triage: null,
  interimContactAt: null,
  interimContactWith: null,
  informed: { reporter: null, household: null },
  investigationStartedAt: null,
  namedReportCycle: null,
  feedback: [],
  afterHandover: null,
  conference: null,
  riskFactors: [],
  screenings: [],
  excused: [],
  upgrade: null,
  counts: emptyCounts(),
});

export function emptyContextV2(): FamilyContextV2 {
  return { ...emptyContext(), ...emptyV2Facts() };
}
