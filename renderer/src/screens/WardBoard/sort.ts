import type { Bed } from '../../../../shared/api/facilities';
import { compareClass, type ClinicalClass } from '../../../../shared/clinical';

/**
 * "Sickest first": occupied beds by queue urgency (electron/core/clinical/state.ts urgencyOf — severe
 * or critical criteria, NEWS2 band, flags), then NEWS2, then the worse class, then overdue
 * observations; empty beds last in bed order. Ties keep bed order.
 */
export function sickestFirst(beds: readonly Bed[]): Bed[] {
  const score = (b: Bed) => b.occupant;
  return beds
    .map((b, i) => ({ b, i }))
    .sort((x, y) => {
      const a = score(x.b);
      const b = score(y.b);
      if (!a || !b) return a ? -1 : b ? 1 : x.i - y.i;
      const classOf = (o: NonNullable<Bed['occupant']>): ClinicalClass => o.currentClass ?? o.proposedClass ?? 'asymptomatic';
      return b.urgency - a.urgency || (b.news2Total ?? -1) - (a.news2Total ?? -1) || compareClass(classOf(b), classOf(a)) || Number(b.overdue) - Number(a.overdue) || x.i - y.i;
    })
    .map((x) => x.b);
}
