import { useCallback, useEffect, useState } from 'react';
import type { AuditRowView } from '../../../../shared/api/audit';
import { AuditFilterSchema } from '../../../../shared/api/audit';
import { api } from '../../lib/api';
import type { CallOutput } from '../../lib/query';
import { useI18n } from '../../lib/i18n';
import { fieldErrors, precheck } from '../../lib/formErrors';

export interface AuditFilters {
  patientId: number | string;
  userId: string | null;
  action: string | null;
  from: string;
  to: string;
}
export const EMPTY_FILTERS: AuditFilters = { patientId: '', userId: null, action: null, from: '', to: '' };

function toInput(f: AuditFilters) {
  return {
    ...(f.patientId !== '' ? { patientId: Number(f.patientId) } : {}),
    ...(f.userId ? { userId: Number(f.userId) } : {}),
    ...(f.action ? { action: f.action } : {}),
    ...(f.from ? { from: f.from } : {}),
    ...(f.to ? { to: f.to } : {}),
    limit: 50,
  };
}

/** The audit trail's state: the filters, the pages read so far (newest first), and the chain check. */
export function useAuditLog() {
  const { t, failureText } = useI18n();
  const [filters, setFilters] = useState<AuditFilters>(EMPTY_FILTERS);
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [rows, setRows] = useState<AuditRowView[]>([]);
  const [next, setNext] = useState<number | null>(null);
  const [loading, setLoading] = useState(false);
  const [failure, setFailure] = useState<string | null>(null);
  const [verify, setVerify] = useState<CallOutput<'audit:verify'> | null>(null);
  const [verifying, setVerifying] = useState(false);

  const load = useCallback(
    async (f: AuditFilters, beforeId?: number) => {
      const input = { ...toInput(f), ...(beforeId ? { beforeId } : {}) };
      const checked = precheck(AuditFilterSchema, input);
      if (!checked.ok) return setErrors(fieldErrors(checked.issues, t));
      setErrors({});
      setLoading(true);
      setFailure(null);
      try {
        const page = await api.audit.list(input);
        setRows((prev) => (beforeId ? [...prev, ...page.rows] : page.rows));
        setNext(page.nextBeforeId);
      } catch (err) {
        setFailure(failureText(err));
      } finally {
        setLoading(false);
      }
    },
    [t, failureText],
  );

  useEffect(() => {
    void load(EMPTY_FILTERS);
  }, [load]);

  const runVerify = async () => {
    setVerifying(true);
    try {
      setVerify(await api.audit.verify({}));
    } catch (err) {
      setFailure(failureText(err));
    } finally {
      setVerifying(false);
    }
  };

  const set = <K extends keyof AuditFilters>(k: K, v: AuditFilters[K]) => setFilters((f) => ({ ...f, [k]: v }));
  const search = () => void load(filters);
  const reset = () => {
    setFilters(EMPTY_FILTERS);
    void load(EMPTY_FILTERS);
  };
  const more = () => {
    if (next !== null) void load(filters, next);
  };

  return { filters, set, errors, rows, next, loading, failure, search, reset, more, verify, verifying, runVerify, closeVerify: () => setVerify(null) };
}
