import type { TFunction } from 'i18next';

// State values and event types contain dots; i18next reads dots as nesting, so keys use "_".
const k = (s: string) => s.replace(/\./g, '_');

function known(t: TFunction, key: string, fallback: string): string {
  const out = t(key, { defaultValue: '' });
  return out || fallback;
}

export const phaseLabel = (t: TFunction, phase: string) => known(t, `phase.${k(phase)}`, phase);
export const oversightLabel = (t: TFunction, v: string) => known(t, `oversight.${k(v)}`, v);
export const escalationLabel = (t: TFunction, v: string) => known(t, `escalation.${k(v)}`, v);
/** The verb form, for buttons and form titles. */
export const eventAction = (t: TFunction, type: string) => known(t, `eventAction.${k(type)}`, type);
/** The past tense, for history. */
export const eventName = (t: TFunction, type: string) => known(t, `eventName.${k(type)}`, type);
export const deadlineKindLabel = (t: TFunction, v: string) => known(t, `deadlineKind.${k(v)}`, v);
export const measureKindLabel = (t: TFunction, v: string) => known(t, `measureKind.${k(v)}`, v);
export const statusLabel = (t: TFunction, v: string) => known(t, `status.${k(v)}`, v);
export const roleLabel = (t: TFunction, v: string) => known(t, `roles.${k(v)}`, v);
export const accessActionLabel = (t: TFunction, v: string) => known(t, `accessAction.${k(v)}`, v);
export const accessResultLabel = (t: TFunction, v: string) => known(t, `accessResult.${k(v)}`, v);

/** The top-level phase of "directSafety.planning", for the badge colour. */
export const phaseGroup = (phase: string) => phase.split('.')[0] ?? phase;
