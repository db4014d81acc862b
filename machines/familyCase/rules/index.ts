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
import type { Rule } from './rule.ts';

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
