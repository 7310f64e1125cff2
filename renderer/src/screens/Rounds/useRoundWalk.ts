import { useEffect, useState } from 'react';
import type { RoundWard } from '../../../../shared/api/rounds';

export type BedStatus = 'done' | 'skipped';
export type Patient = RoundWard['beds'][number];

const storageKey = (wardId: number) => `echelon.round.${wardId}`;

/** This round's done/skipped marks survive leaving the screen, until a new round is started. */
function loadMarks(wardId: number): Record<number, BedStatus> {
  const raw = globalThis.sessionStorage?.getItem(storageKey(wardId));
  if (!raw) return {};
  const parsed: unknown = JSON.parse(raw);
  return typeof parsed === 'object' && parsed !== null ? (parsed as Record<number, BedStatus>) : {};
}

/**
 * The walk through one ward: which bed is open, which are done or skipped in this round (kept in the
 * session), when each was saved, and the key that gives the next bed a fresh form at once.
 */
export function useRoundWalk(wardId: number | null, beds: readonly Patient[]) {
  const [index, setIndex] = useState(0);
  const [marks, setMarks] = useState<Record<number, BedStatus>>({});
  const [formKey, setFormKey] = useState(0);
  /** When each bed of this round was saved (HH:MM), shown in the bed list beside "done". */
  const [savedAt, setSavedAt] = useState<Record<number, string>>({});

  useEffect(() => {
    if (wardId === null) return;
    setMarks(loadMarks(wardId));
    setIndex(0);
  }, [wardId]);
  useEffect(() => {
    if (wardId !== null) globalThis.sessionStorage?.setItem(storageKey(wardId), JSON.stringify(marks));
  }, [marks, wardId]);

  const current: Patient | undefined = beds[index];
  /** The next bed after `from` not yet done or skipped in this round, wrapping around. */
  const nextOpen = (from: number, next: Record<number, BedStatus>) => {
    for (let k = 1; k <= beds.length; k += 1) {
      const i = (from + k) % beds.length;
      const b = beds[i];
      if (b && !next[b.episodeId]) return i;
    }
    return from;
  };
  const mark = (status: BedStatus) => {
    if (!current) return;
    const next = { ...marks, [current.episodeId]: status };
    setMarks(next);
    setIndex(nextOpen(index, next));
    setFormKey((k) => k + 1);
  };
  const moveTo = (i: number) => {
    setIndex((i + beds.length) % Math.max(1, beds.length));
    setFormKey((k) => k + 1);
  };
  const restart = () => {
    setMarks({});
    setIndex(0);
    setFormKey((k) => k + 1);
  };
  /** The same bed again with an empty form (a save that did not finish it). */
  const freshForm = () => setFormKey((k) => k + 1);
  const saved = (episodeId: number, at: string) => setSavedAt((old) => ({ ...old, [episodeId]: at }));

  return {
    index,
    current,
    marks,
    formKey,
    savedAt,
    mark,
    moveTo,
    restart,
    freshForm,
    saved,
    done: beds.filter((b) => marks[b.episodeId] === 'done').length,
    skipped: beds.filter((b) => marks[b.episodeId] === 'skipped').length,
    overdue: beds.filter((b) => b.overdue && !marks[b.episodeId]).length,
  };
}

export type RoundWalk = ReturnType<typeof useRoundWalk>;
