import { useQuery } from '@tanstack/react-query';
import type { TFunction } from 'i18next';
import { useTranslation } from 'react-i18next';
import {
  myFamilyAccessLogSchema,
  myFamilySchema,
  type Audience,
  type MyFamily,
  type PlanResponseRequest,
} from '../../../../contract/index.ts';
import { api } from '../../api.ts';
import { keys } from '../../queries.ts';

// A family member's two screens (issue 15) read GET /my-family and GET /my-family/access-log, parsed
// with the contract's schemas; the server writes every word about the family (phase, statuses, roles,
// actions) in the request's language and, for a child, in the simpler version.

export type { Audience, MyFamily };

export const MEMBER_HOME = '/ons-plan';
export const MEMBER_LOG = '/ons-plan/wie-las-ons-dossier';
/** Rows of the access log a page (the server's default). */
export const LOG_PAGE_SIZE = 100;

export const loadMyFamily = (signal?: AbortSignal) =>
  api.get(myFamilySchema, '/my-family', undefined, signal);
export const loadMyAccessLog = (page: number, signal?: AbortSignal) =>
  api.get(myFamilyAccessLogSchema, '/my-family/access-log', { page, pageSize: LOG_PAGE_SIZE }, signal);
/** Answers the plan; the server answers with the member's view after it. */
export const respondToPlan = (body: PlanResponseRequest) =>
  api.post(myFamilySchema, '/my-family/responses', body);

/** The member's own view; the server writes its words in the reader's language, so the language is in the key. */
export function useMyFamily() {
  const { i18n } = useTranslation();
  return useQuery({ queryKey: keys.myFamily(i18n.language), queryFn: ({ signal }) => loadMyFamily(signal) });
}

/** Which texts a member reads: the server says whether they get the child's version. */
export function useAudience(): Audience {
  return useMyFamily().data?.audience ?? 'adult';
}

/** The texts of this member's version: `memberAdult.*` or `memberChild.*` (the same keys, texts.test.ts). */
export function audienceTexts(t: TFunction, audience: Audience) {
  const p = audience === 'child' ? 'memberChild' : 'memberAdult';
  return (key: string, options?: Record<string, unknown>) => t(`${p}.${key}`, options ?? {});
}
export type AudienceTexts = ReturnType<typeof audienceTexts>;
