import type { ImagingRowSchema } from '../../../shared/api/results';
import type { z } from 'zod';

/** An imaging study's own columns as stored (booleans as 0/1); select them with IMAGING_COLUMNS on alias `r`. */
export interface ImagingColumns {
  performed_at: string;
  modality: 'ct' | 'xray';
  pneumonia: 0 | 1;
  progression_pct: number | null;
  improved: 0 | 1 | null;
  finding: string | null;
}

export const IMAGING_COLUMNS = 'r.performed_at, r.modality, r.pneumonia, r.progression_pct, r.improved, r.finding';

/** The study as the chart shows it and the release check reads it. */
export function imagingOf(r: ImagingColumns): z.infer<typeof ImagingRowSchema> {
  return {
    performedAt: r.performed_at,
    modality: r.modality,
    pneumonia: r.pneumonia === 1,
    progressionPct: r.progression_pct,
    improved: r.improved === null ? null : r.improved === 1,
    finding: r.finding,
  };
}
