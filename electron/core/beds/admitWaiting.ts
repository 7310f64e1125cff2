import type { Handler } from '../context';
import type { AppContract } from '../../../shared/api';
import { checkNewAdmission, writeAdmission } from '../patients/admission';

/**
 * Admission when no bed is free: the same identity rules as patients:admit, but the placement has no
 * bed (bed_id NULL), which is what puts the patient on the ward's waiting list until beds:place.
 * patients:admit requires a free bed by contract, so this is its own command rather than a flag there.
 */
export const admitWaiting: Handler<AppContract['beds']['admitWaiting']> = (ctx, input) => {
  const { birthDate } = checkNewAdmission(ctx, input);
  return writeAdmission(ctx, input, birthDate, null);
};
