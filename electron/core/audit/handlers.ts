import type { AuditRowView } from '../../../shared/api/audit';
import { addDays, startOfLocalDay } from '../../../shared/domain/time';
import type { Ctx, DomainHandlers } from '../context';
import { settingsOf } from '../settings/settings';
import { verifyAgainstAnchor } from './anchor';

interface Row {
  id: number;
  at: string;
  user_id: number | null;
  user_name: string | null;
  action: string;
  entity: string;
  entity_id: number | null;
  patient_id: number | null;
  patient_name: string | null;
  before: string | null;
  after: string | null;
  reason: string | null;
  workstation: string | null;
}

const SELECT = `
  SELECT a.id, a.at, a.user_id, u.display_name AS user_name, a.action, a.entity, a.entity_id,
         a.patient_id, p.name AS patient_name, a.before, a.after, a.reason, a.workstation
  FROM audit a
  LEFT JOIN app_user u ON u.id = a.user_id
  LEFT JOIN patient p ON p.id = a.patient_id`;

const view = (r: Row): AuditRowView => ({
  id: r.id,
  at: r.at,
  userId: r.user_id,
  userName: r.user_name,
  action: r.action,
  entity: r.entity,
  entityId: r.entity_id,
  patientId: r.patient_id,
  patientName: r.patient_name,
  before: r.before,
  after: r.after,
  reason: r.reason,
  workstation: r.workstation,
});

export interface AuditQuery {
  patientId?: number;
  userId?: number;
  action?: string;
  fromAt?: string;
  toAt?: string;
  beforeId?: number;
  limit: number;
}

/**
 * The audit viewer's query: newest first, keyset-paged by id. Each filter has its index (patient,
 * user, action, date); the statement text depends only on which filters are set, so at most 64
 * prepared statements exist.
 */
export function auditQuerySql(q: Omit<AuditQuery, 'limit'>): string {
  const where: string[] = [];
  if (q.patientId !== undefined) where.push('a.patient_id = @patientId');
  if (q.userId !== undefined) where.push('a.user_id = @userId');
  if (q.action !== undefined) where.push('a.action = @action');
  if (q.fromAt !== undefined) where.push('a.at >= @fromAt');
  if (q.toAt !== undefined) where.push('a.at < @toAt');
  if (q.beforeId !== undefined) where.push('a.id < @beforeId');
  return `${SELECT}${where.length > 0 ? `\n  WHERE ${where.join(' AND ')}` : ''}\n  ORDER BY a.id DESC LIMIT @limit`;
}

function page(ctx: Ctx, q: AuditQuery): { rows: AuditRowView[]; nextBeforeId: number | null } {
  const params: Record<string, string | number> = { limit: q.limit + 1 };
  for (const k of ['patientId', 'userId', 'action', 'fromAt', 'toAt', 'beforeId'] as const) {
    const v = q[k];
    if (v !== undefined) params[k] = v;
  }
  const rows = ctx.stmt<[Record<string, string | number>], Row>(auditQuerySql(q)).all(params);
  const more = rows.length > q.limit;
  const shown = more ? rows.slice(0, q.limit) : rows;
  return { rows: shown.map(view), nextBeforeId: more ? (shown[shown.length - 1]?.id ?? null) : null };
}

export const auditHandlers: DomainHandlers<'audit'> = {
  verify(ctx) {
    const r = verifyAgainstAnchor(ctx.db);
    return { ok: r.ok, rows: r.rows, brokenAt: r.brokenAt, head: r.head, anchor: r.anchor, problem: r.problem };
  },

  list(ctx, f) {
    const tz = settingsOf(ctx).timeZone;
    return page(ctx, {
      ...(f.patientId !== undefined ? { patientId: f.patientId } : {}),
      ...(f.userId !== undefined ? { userId: f.userId } : {}),
      ...(f.action !== undefined ? { action: f.action } : {}),
      ...(f.from !== undefined ? { fromAt: startOfLocalDay(f.from, tz) } : {}),
      ...(f.to !== undefined ? { toAt: startOfLocalDay(addDays(f.to, 1), tz) } : {}),
      ...(f.beforeId !== undefined ? { beforeId: f.beforeId } : {}),
      limit: f.limit,
    });
  },

  actions(ctx) {
    return ctx
      .stmt<[], { action: string }>('SELECT DISTINCT action FROM audit ORDER BY action')
      .all()
      .map((r) => r.action);
  },

  patientHistory(ctx, { patientId, beforeId, limit }) {
    return page(ctx, { patientId, ...(beforeId !== undefined ? { beforeId } : {}), limit });
  },
};
