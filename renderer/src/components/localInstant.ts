import { fromLocal } from '../../../shared/domain/time';

/**
 * A datetime-local field's value as the UTC instant it names in `tz`. What is not a wall-clock time goes
 * on as typed, so that the contract refuses it on its field with its own message.
 */
export function instantOf(local: string, tz: string): string {
  try {
    return fromLocal(local, tz);
  } catch (err) {
    if (err instanceof RangeError) return local;
    throw err;
  }
}
