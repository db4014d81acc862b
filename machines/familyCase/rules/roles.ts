import type { Role } from '../../schemas/common.ts';
import { systemEventTypes, type EventType, type SystemEventType } from '../../schemas/events.ts';
import { cap, eventWords } from '../words.ts';
import { ok, say, type Explanation, type Rule } from './rule.ts';

// Who may send what. `roleMaySend` is the gate before the chart (a role that may never send an event
// learns nothing about the case's state); the others are guards the chart names.

/** Events that advance a family's phase: only its case director sends them. */
export const directorEventTypes = [
  'plan.agreed',
  'plan.revised',
  'directSafety.achieved',
  'stability.confirmed',
  'recovery.completed',
  'case.closed',
  // familyCase@2
  'contact.first',
  'riskFactors.updated',
  'case.upgraded',
] as const satisfies readonly EventType[];

/** Events both roles send; a director only on a family they direct. */
const sharedEventTypes: readonly EventType[] = [
  'incident.reported',
  'measure.imposed',
  'measure.extended',
  'measure.ended',
  'escalation.raised',
  'escalation.resolved',
  'handover.offered',
  // familyCase@2
  'conference.held',
  'trauma.screened',
];

const vtOnlyEventTypes: readonly EventType[] = [
  'report.received',
  'assessment.started',
  'assessment.completed',
  'investigation.completed',
  'monitoring.checkRecorded',
  'monitoring.takenBack',
  'monitoring.ended',
  // familyCase@2
  'triage.recorded',
  'contact.interim',
  'investigation.started',
  'reporter.informed',
  'household.informed',
];

export const is = (list: readonly string[], type: string) => list.includes(type);
export const isSystemEvent = (type: string): type is SystemEventType => is(systemEventTypes, type);

const roleNames: Record<Role | 'system' | 'member', Explanation> = {
  vt: say('een Veilig Thuis-medewerker', 'a Veilig Thuis worker'),
  director: say('een casusregisseur', 'a case director'),
  auditor: say('een auditor', 'an auditor'),
  admin: say('een beheerder', 'an administrator'),
  system: say('het systeem', 'the system'),
  member: say('een gezinslid', 'a family member'),
};

export const roleRules = {
  /**
   * May this role ever send this type? System events only from `system`; auditors send nothing,
   * admins only `case.upgraded` (the bulk move of families to a newer version, POST /upgrades), and a
   * family member only `plan.responded`, which only a member sends.
   */
  roleMaySend: {
    kind: 'forbidden',
    needs: 'context',
    check: (_ctx, ev) => {
      const role = ev.actor.role;
      const who = roleNames[role];
      const what = eventWords[ev.type];
      if (isSystemEvent(ev.type)) {
        return role === 'system'
          ? ok
          : say(
              `Alleen het systeem (de planner) mag ${what.nl}.`,
              `Only the system (the scheduler) may ${what.en}.`,
            );
      }
      // A member answers the plan from the family's own view, and does nothing else; nobody else answers for them.
      if (role === 'member' || ev.type === 'plan.responded') {
        return role === 'member' && ev.type === 'plan.responded'
          ? ok
          : say(`${cap(what.nl)} is niet toegestaan voor ${who.nl}.`, `${cap(who.en)} may not ${what.en}.`);
      }
      const allowed =
        role === 'vt'
          ? !is(['handover.accepted', 'handover.declined'], ev.type)
          : role === 'director'
            ? !is(vtOnlyEventTypes, ev.type)
            : role === 'admin'
              ? ev.type === 'case.upgraded'
              : false;
      return allowed
        ? ok
        : say(`${cap(what.nl)} is niet toegestaan voor ${who.nl}.`, `${cap(who.en)} may not ${what.en}.`);
    },
  },
  /** Director events come from the family's case director; shared events from a director only on their own family. */
  assignedToCase: {
    kind: 'forbidden',
    needs: 'context',
    check: (ctx, ev) => {
      const director = ctx.caseDirectorId;
      const what = eventWords[ev.type];
      if (is(directorEventTypes, ev.type)) {
        if (ev.actor.id === director) return ok;
        // An administrator moves many families to a newer version at once, each with a reason.
        if (ev.type === 'case.upgraded' && ev.actor.role === 'admin') return ok;
        if (ev.actor.role === 'vt' && director === null) return ok;
        return say(
          `Alleen de casusregisseur van dit gezin mag ${what.nl}.`,
          `Only this family's case director may ${what.en}.`,
        );
      }
      if (ev.actor.role === 'director' && is(sharedEventTypes, ev.type) && ev.actor.id !== director) {
        return say(
          `U bent niet de casusregisseur van dit gezin; alleen die mag ${what.nl}.`,
          `You are not this family's case director; only they may ${what.en}.`,
        );
      }
      return ok;
    },
  },
} satisfies Record<string, Rule>;
