import type { serverZh } from './server.zh-CN';

/** The Echelon server: sessions over the network, limits, retries. */
export const serverEn: Record<keyof typeof serverZh, string> = {
  'server.body_too_large': 'The request is too large (limit {limit} bytes); nothing was saved.',
  'server.bad_json': 'The request is not valid JSON; nothing was saved.',
  'server.bad_content_type': 'Calls are sent as application/json.',
  'server.session_expired': 'Your session has expired or ended; please log in again.',
  'server.setup_local_only': 'The first administrator can only be created on the server itself.',
  'server.too_many_attempts': 'Too many failed logins from this address; try again in {seconds} s.',
  'server.fingerprint_mismatch':
    'The server’s certificate is not the one this workstation trusts (expected {expected}, got {actual}). Nothing was sent; contact your administrator.',
  'server.fingerprint_invalid': 'Not a SHA-256 fingerprint.',
  'server.https_only': 'The server address must start with https://.',
  'server.unreachable': 'Cannot reach the server: not saved. Retry.',
  'server.no_answer': 'The server did not answer: perhaps not saved. Retry (it will not be saved twice).',
  'server.bad_answer': 'The server’s answer was not understood: perhaps not saved. Retry.',
  'server.bad_request': 'Malformed request.',
  'server.closing': 'The server is shutting down: not saved. Retry in a moment.',
  'server.tls_unreadable': 'Cannot read the server’s TLS key or certificate.',
  'server.tls_bad_certificate': 'The certificate file is not a PEM certificate.',
  'server.tls_pair_needed': '--cert and --key go together.',
  'server.usage': 'Wrong command-line arguments; see --help.',
  'idempotency.key_invalid': 'Malformed action key.',
  'idempotency.key_reused': 'This action key was already used for another action; nothing was saved.',
};
