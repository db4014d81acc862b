/**
 * Long histories for the replay, verify and growth measurements: one South Limburg family handed
 * over to a local-team director, in stable safety under VT monitoring, that then keeps receiving
 * what such a family receives — monitoring checks, minor incidents, combined reports, restraining
 * orders imposed and ended, escalations raised and resolved — with the scheduler's system events in
 * between, until it has `events` events. Built through the batch path (server/engine/batch.ts).
 */
import { sampleReport } from '../../simulation/reports.ts';
import { addDays, type Actor } from '../../machines/index.ts';
import { append, fireDue, startFamily, type Command, type SimFamily } from '../../server/engine/batch.ts';

const DAY = 86_400_000;
export const LONG_VT: Actor = { id: 'vt-zuid-limburg-1', role: 'vt' };
export const LONG_DIRECTOR: Actor = { id: 'dir-zuid-limburg-1', role: 'director' };

function must(f: SimFamily, cmd: Command, at: number): void {
  const r = append(f, cmd, new Date(at));
  if (!r.ok) throw new Error(`long history: ${cmd.type} refused: ${JSON.stringify(r.refusal)}`);
}

/**
 * A family with exactly `events` events (system events included), ending shortly before `end`, under
 * machine `version` (familyCase@1 by default; 2: moved by `case.upgraded` right after the report, so the
 * rest of the history runs under familyCase@2 — the growth suite measures both side by side).
 */
export function longFamily(id: string, events: number, end = Date.now(), version?: number): SimFamily {
  // Roughly one event every six hours, so that ten thousand events span about seven years.
  const step = DAY / 4;
  let t = end - (events + 20) * step;
  // A familyCase@1 family: these steps are v1's, and the replay suite compares with v1's raw transition().
  const f = startFamily(
    { id, region: 'zuid-limburg', ...sampleReport(version === undefined ? `LONG-${events}` : `LONG-V${version}-${events}`) },
    LONG_VT,
    new Date(t),
    undefined,
    1,
  );
  const next = () => (t += step);
  if (version !== undefined && f.snap.version > version)
    throw new Error(`long history: new families start on version ${f.snap.version}; a version ${version} family cannot be built`);
  const upgrade: ((at: number) => Command)[] =
    version !== undefined && f.snap.version < version
      ? [() => ({ type: 'case.upgraded', payload: { toVersion: version }, reason: 'Nieuwe werkwijze.', actor: LONG_VT })]
      : [];
  const setup: ((at: number) => Command)[] = [
    ...upgrade,
    () => ({ type: 'assessment.started', payload: {}, actor: LONG_VT }),
    (at) => ({
      type: 'assessment.completed',
      payload: {
        decision: 'handover',
        acute: false,
        structural: true,
        directorId: LONG_DIRECTOR.id,
        conditions: [
          { description: 'Geen fysiek geweld in het gezin', dueAt: addDays(new Date(at).toISOString(), 30) },
          { description: 'De ouders nemen deel aan de ingezette hulpverlening' },
        ],
      },
      reason: 'Structurele onveiligheid; het lokale team neemt de regie over en Veilig Thuis monitort.',
      actor: LONG_VT,
      named: { id: LONG_DIRECTOR.id, roles: ['director'] },
    }),
    () => ({ type: 'handover.accepted', payload: {}, reason: 'Overdracht besproken; ik neem de regie over.', actor: LONG_DIRECTOR }),
    () => {
      const ctx = f.snap.context;
      return {
        type: 'plan.agreed',
        payload: {
          agreements: ctx.conditions.map((c) => ({ description: `Afspraak bij: ${c.description}`, responsible: 'Lokaal team', coversConditionIds: [c.id] })),
          participants: [...ctx.members.filter((m) => m.kind === 'adult').map((m) => ({ memberId: m.id })), { professional: 'Lokaal team' }],
          childPerspectives: ctx.members.filter((m) => m.kind === 'child').map((m) => ({ memberId: m.id, perspective: 'Wil dat het thuis rustig blijft.' })),
        },
        actor: LONG_DIRECTOR,
      };
    },
    () => ({ type: 'directSafety.achieved', payload: {}, reason: 'Het geweld is gestopt en het veiligheidsplan wordt nageleefd.', actor: LONG_DIRECTOR }),
  ];
  for (const build of setup) {
    if (f.row.version >= events) break;
    const at = next();
    fireDue(f, new Date(at));
    must(f, build(at), at);
  }
  let i = 0;
  while (f.row.version < events) {
    const at = next();
    fireDue(f, new Date(at));
    if (f.row.version >= events) break;
    const ctx = f.snap.context;
    const active = ctx.measures.filter((m) => m.status === 'active').at(-1);
    const iso = new Date(at).toISOString();
    let cmd: Command;
    switch (i++ % 8) {
      case 0:
      case 4:
        cmd = {
          type: 'monitoring.checkRecorded',
          payload: { results: ctx.conditions.filter((c) => c.status !== 'withdrawn').map((c) => ({ conditionId: c.id, met: true })), notes: 'Voorwaarden nageleefd volgens gezin en school.' },
          actor: LONG_VT,
        };
        break;
      case 1:
        cmd = { type: 'incident.reported', payload: { occurredAt: new Date(at - 3600_000).toISOString(), severity: 'minor', description: 'Verbale ruzie, geen fysiek geweld; afspraken besproken.' }, actor: LONG_VT };
        break;
      case 2:
        cmd = active
          ? { type: 'measure.ended', payload: { measureId: active.id }, actor: LONG_DIRECTOR }
          : { type: 'measure.imposed', payload: { kind: 'huisverbod', startsAt: iso, endsAt: addDays(iso, 10) }, actor: LONG_DIRECTOR };
        break;
      case 3:
        cmd = { type: 'report.received', payload: { source: 'professional', acute: false, summary: 'School meldt opnieuw zorgen over een kind.', receivedAt: iso, violenceForms: ['kindermishandeling'] }, actor: LONG_VT };
        break;
      case 5:
        cmd = active
          ? { type: 'measure.ended', payload: { measureId: active.id }, actor: LONG_DIRECTOR }
          : { type: 'measure.imposed', payload: { kind: 'huisverbod', startsAt: iso, endsAt: addDays(iso, 10) }, actor: LONG_DIRECTOR };
        break;
      case 6:
        cmd =
          f.snap.value.escalation === 'escalated'
            ? { type: 'escalation.resolved', payload: {}, reason: 'Afspraken gemaakt in het overleg; hulp loopt weer.', actor: LONG_DIRECTOR }
            : { type: 'escalation.raised', payload: { to: 'MDA++' }, reason: 'De hulp stagneert; opschalen is nodig.', actor: LONG_DIRECTOR };
        break;
      default:
        cmd = { type: 'incident.reported', payload: { occurredAt: new Date(at - 7200_000).toISOString(), severity: 'minor', description: 'Buren melden geschreeuw; politie ter plaatse, geen letsel.' }, actor: LONG_VT };
    }
    must(f, cmd, at);
  }
  return f;
}

const memo = new Map<string, { family: SimFamily; buildMs: number }>();

/** Built once per process, size and version: the replay, verify and growth suites share them. */
export function longFamilyCached(events: number, version?: number): { family: SimFamily; buildMs: number } {
  const key = `${version ?? 1}:${events}`;
  let hit = memo.get(key);
  if (!hit) {
    const t0 = performance.now();
    const family = longFamily(version === undefined ? `long-${events}` : `long-v${version}-${events}`, events, Date.now(), version);
    hit = { family, buildMs: performance.now() - t0 };
    memo.set(key, hit);
  }
  return hit;
}
