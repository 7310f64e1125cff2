import { AppError } from '../../../shared/errors';
import type { DomainHandlers } from '../context';

/** Placeholder until the key store lands (issue 20): the contract is in shared/api/security.ts. */
const pending = (): never => {
  throw new AppError('RULE_VIOLATION', 'encryption at rest is not available yet', { key: 'security.kek_unavailable' });
};

export const securityHandlers: DomainHandlers<'security'> = {
  status: pending,
  setRecoveryPassphrase: pending,
  changeRecoveryPassphrase: pending,
  rekey: pending,
  destroyPlain: pending,
  unlockWithPassphrase: pending,
};
