// Legal limits are part of a machine version: changing one means registering a new version
// (README "Versions"). Norms for timers are configuration instead (norms.ts).

export type LegalLimits = {
  huisverbodInitialDays: number;
  huisverbodTotalDays: number;
  voorlopigeOtsMonths: number;
  otsTermMonths: number;
  stableSafetyMonths: number;
};

export const legalLimitsV1: LegalLimits = {
  huisverbodInitialDays: 10,
  huisverbodTotalDays: 28,
  voorlopigeOtsMonths: 3,
  otsTermMonths: 12,
  stableSafetyMonths: 6,
};
