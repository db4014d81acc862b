// The body of POST /families is the shared contract schema: the form reports the same problems the
// server would before anything is sent.
export { createFamilySchema as newReportSchema, type CreateFamily as NewReport } from '../../../contract/index.ts';

/** Codes, not sentences, so the stored data does not depend on the UI language. */
export const violenceForms = [
  'partnerViolence',
  'childAbuse',
  'childWitness',
  'elderAbuse',
  'honourBased',
  'forcedMarriage',
  'sexualViolence',
  'neglect',
  'other',
] as const;
