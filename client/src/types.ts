// Response shapes come from the shared HTTP contract schemas (contract/), so the
// client and the server cannot drift apart silently.
import type { z } from 'zod';
import type {
  ApiUser,
  FamilyList,
  FamilyState,
  FamilySummary,
  FamilyView,
  History,
  HistoryEvent,
  Kpi,
  Kpis,
  Monitoring,
  Replay,
  UserRef,
  Verify,
  AccessLogPage,
  AccessLogRow,
  Deadline,
  conditionViewSchema,
  measureViewSchema,
  memberViewSchema,
  monitoringItemSchema,
} from '../../contract/index.ts';
import type { Role } from '../../machines/schemas/common.ts';
import type { UserEventType } from '../../machines/schemas/events.ts';

export type {
  AccessLogPage,
  AccessLogRow,
  Deadline,
  FamilyState,
  FamilySummary,
  FamilyView,
  History,
  HistoryEvent,
  Kpi,
  Kpis,
  Monitoring,
  Replay,
  Role,
  UserEventType,
  UserRef,
  Verify,
};

export type User = Pick<ApiUser, 'id' | 'username' | 'displayName' | 'roles'> & { region?: string | null };
export type FamilyPage = FamilyList;
export type Member = z.infer<typeof memberViewSchema>;
export type Condition = z.infer<typeof conditionViewSchema>;
export type Measure = z.infer<typeof measureViewSchema>;
export type MonitoringItem = z.infer<typeof monitoringItemSchema>;
