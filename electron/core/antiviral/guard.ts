import { AppError } from '../../../shared/errors';
import { checkInteractions } from '../../../shared/clinical';
import type { Ctx } from '../context';
import { loadLive } from '../clinical/state';
import { medicationsOf } from '../../../shared/clinical/evaluate';

/** Names in a plan item that mean ritonavir-boosted nirmatrelvir: such a course is prescribed through antiviral:decide. */
const NMV_R_TEXT = /奈玛特韦|利托那韦|帕克洛维|paxlovid|nirmatrelvir|ritonavir/i;

type Item = { kind: string; detail: string | null; startDate: string | null; courseDays: number | null };

/**
 * plans:save's guard (issue 19): a new or changed antiviral item that names ritonavir-boosted
 * nirmatrelvir, for a patient whose medicines clash with it (contraindicated), is refused: that course
 * is prescribed through antiviral:decide, which records the reason for prescribing despite the clash.
 */
export function checkPlanAntiviral(ctx: Ctx, episodeId: number, items: readonly Item[]): void {
  const i = items.findIndex((it) => it.kind === 'antiviral' && it.detail !== null && NMV_R_TEXT.test(it.detail));
  const item = items[i];
  if (!item) return;
  const latest = ctx.stmt<[number], string>('SELECT items FROM plan_version WHERE episode_id = ? ORDER BY version DESC LIMIT 1').pluck().get(episodeId);
  const before = latest === undefined ? undefined : (JSON.parse(latest) as Item[]).find((it) => it.kind === 'antiviral');
  if (before && before.detail === item.detail && before.startDate === item.startDate && before.courseDays === item.courseDays) return;
  const data = loadLive(ctx, episodeId).antiviral;
  const clashes = data ? checkInteractions(medicationsOf(data)).clashes : [];
  if (clashes.some((c) => c.severity === 'contraindicated')) throw AppError.field(`items.${i}.detail`, 'antiviral.use_decision');
}
