import { createFamilySchema, type CreateFamily } from '../../../contract/index.ts';
import { requestFormSchema } from './requestSchema.ts';
import { emptyMember, reportValues, type MemberDraft } from './MembersEditor.tsx';

// The body of POST /families is the shared contract schema: the form reports the same problems the
// server would before anything is sent.
export type NewReport = CreateFamily;

export type NewReportDraft = {
  reference: string;
  municipality: string;
  source: string;
  acute: boolean;
  violenceForms: string[];
  summary: string;
  receivedAt: string;
  members: MemberDraft[];
};

export const newReportDraft = (): NewReportDraft => ({
  reference: '',
  municipality: '',
  source: '',
  acute: false,
  violenceForms: [],
  summary: '',
  receivedAt: '',
  members: [emptyMember()],
});

/** The draft as the body of POST /families. */
export function newReportBody(d: NewReportDraft) {
  return {
    reference: d.reference,
    municipality: d.municipality || undefined,
    ...reportValues(d),
  };
}

/** The new-report form's schema: the draft as the body, checked by the server's own schema. */
export const newReportFormSchema = requestFormSchema<NewReportDraft, NewReport>(
  createFamilySchema,
  newReportBody,
);
