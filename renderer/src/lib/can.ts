import { contract, lookupCall, type AppContract, type ChannelOf } from '../../../shared/api';
import type { SessionUser } from '../../../shared/api/auth';

export type Channel = ChannelOf<AppContract>;

/**
 * Whether the user's role may make a call, read from the contract's access list: the screens hide
 * what the core would refuse, from the one list the core enforces, never from a copy. (Ward scope is
 * the core's to judge per record; a refused call still comes back as a translated FORBIDDEN.)
 */
export function can(user: Pick<SessionUser, 'role'> | null, channel: Channel): boolean {
  const access = lookupCall(contract, channel)?.access;
  if (!user || !access) return false;
  if (access === 'public' || access === 'authenticated') return true;
  return access.includes(user.role);
}

/**
 * Rules that are not a role list of one call, named so that no screen spells them out again. The
 * core enforces both (rounds/handlers.ts for the scale, the signed-record kernel for corrections).
 */

/** Only a doctor may change a patient's SpO2 scale (BTS target range; the core refuses anyone else). */
export function canChangeSpo2Scale(user: Pick<SessionUser, 'role'>): boolean {
  return user.role === 'ward_doctor';
}

/**
 * A signed record (a round, a result) may be corrected by its author, or by a ward doctor, among
 * those allowed to write it at all (`mayWrite`, from `can`). The core also lets an expert correct;
 * the chart offers it to the author and the ward doctor, as before.
 */
export function canCorrect(user: Pick<SessionUser, 'id' | 'role'>, authorId: number, mayWrite: boolean): boolean {
  return mayWrite && (authorId === user.id || user.role === 'ward_doctor');
}
