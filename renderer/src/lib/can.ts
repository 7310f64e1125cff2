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
