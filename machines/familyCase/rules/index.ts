import { caseRules } from './case.ts';
import { decisionRules } from './decisions.ts';
import { handoverRules } from './handover.ts';
import { idRules } from './ids.ts';
import { measureRules } from './measures.ts';
import { monitoringRules } from './monitoring.ts';
import { planRules } from './plan.ts';
import { roleRules } from './roles.ts';
import { stabilityRules } from './stability.ts';
import { timeRules } from './time.ts';
import { conferenceRules } from './conferences.ts';
import { followUpRules } from './followUp.ts';
import { recoveryRules } from './recovery.ts';
import { versionRules } from './versions.ts';
import { familyViewRules } from './familyView.ts';
import type { Rule } from './rule.ts';
import type { FamilyContextV2 } from '../contextV2.ts';

// Every rule by name: the names the chart's guards use.

export const rules = {
  ...roleRules,
  ...caseRules,
  ...timeRules,
  ...decisionRules,
  ...handoverRules,
  ...idRules,
  ...planRules,
  ...monitoringRules,
  ...stabilityRules,
  ...measureRules,
} satisfies Record<string, Rule>;

export type RuleName = keyof typeof rules;

/** The rules familyCase@2 adds (it names v1's rules too). */
export const rulesV2 = {
  ...followUpRules,
  ...conferenceRules,
  ...recoveryRules,
  ...versionRules,
  ...familyViewRules,
} satisfies Record<string, Rule<FamilyContextV2>>;

export type RuleNameV2 = RuleName | keyof typeof rulesV2;
