import type { Db } from '../../server/db/index.ts';

/** Everything an append writes for a family, as stored: to compare before and after a failed write. */
export async function storedFamily(db: Pick<Db, 'prisma'>, familyId: string) {
  const p = db.prisma;
  return {
    family: await p.family.findUniqueOrThrow({ where: { id: familyId } }),
    events: await p.event.findMany({ where: { familyId }, orderBy: { seq: 'asc' } }),
    timers: await p.timer.findMany({ where: { familyId }, orderBy: { id: 'asc' } }),
    kpiFacts: await p.kpiFact.findMany({ where: { familyId }, orderBy: { id: 'asc' } }),
  };
}
