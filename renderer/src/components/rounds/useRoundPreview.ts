import { useEffect, useMemo, useRef, useState } from 'react';
import type { RoundPreview } from '../../../../shared/api/rounds';
import { AppError } from '../../../../shared/errors';
import { call, type CallInput } from '../../lib/query';
import type { T } from '../../lib/i18n';
import { loose, unparsedFields, type RoundValues } from './roundValues';

/**
 * The live preview of a round being typed, debounced: the core runs the same rules as on save
 * (rounds:preview) and writes nothing. Also the out-of-range messages it found, by field.
 */
export function useRoundPreview(p: { episodeId: number; replacesId: number | null; v: RoundValues; measuredAt: string; t: T }) {
  const { episodeId, replacesId, v, measuredAt, t } = p;
  const [preview, setPreview] = useState<RoundPreview | null>(null);
  const [previewing, setPreviewing] = useState(false);
  const input: CallInput<'rounds:preview'> = {
    episodeId,
    ...(replacesId !== null ? { replacesId } : {}),
    ...(measuredAt.endsWith('Z') ? { measuredAt } : {}),
    respRate: loose(v.respRate),
    spo2: loose(v.spo2),
    spo2Scale: v.spo2Scale === '2' ? 2 : 1,
    onOxygen: v.air === '' ? null : v.air === 'oxygen',
    o2Flow: loose(v.o2Flow),
    systolicBp: loose(v.systolicBp),
    diastolicBp: loose(v.diastolicBp),
    pulse: loose(v.pulse),
    consciousness: v.consciousness || null,
    temperature: loose(v.temperature),
    symptoms: v.symptoms,
    signs: v.signs,
    unparsed: unparsedFields(v),
  };
  // The effect runs when what is scored changes (not on every render): the key says when, the ref what.
  const key = JSON.stringify(input);
  const latest = useRef(input);
  latest.current = input;

  useEffect(() => {
    let live = true;
    setPreviewing(true);
    const timer = setTimeout(() => {
      call('rounds:preview', latest.current).then(
        (r) => {
          if (!live) return;
          setPreview(r);
          setPreviewing(false);
        },
        (err: unknown) => {
          if (!live) return;
          setPreviewing(false);
          if (!(err instanceof AppError)) throw err;
        },
      );
    }, 200);
    return () => {
      live = false;
      clearTimeout(timer);
    };
  }, [key]);

  const liveErrors = useMemo(() => {
    const out: Record<string, string> = {};
    for (const e of preview?.errors ?? [])
      out[e.field] = t('validation.out_of_range', { field: t(`field.${e.field === 'o2Flow' ? 'oxygenFlow' : e.field}`), min: e.min, max: e.max });
    return out;
  }, [preview, t]);

  return { preview, previewing, liveErrors };
}
