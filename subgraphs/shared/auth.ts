import { forbidden, unauthenticated } from '../../platform/errors';
import type { Identity, Role } from '../../platform/identity';

/**
 * Authorization hooks. Who the caller is comes verified from the gateway (identity.ts); what each
 * role may see and do is decided here, in the subgraphs, because @apollo/gateway cannot enforce it.
 */
export function requireSignedIn(identity: Identity): void {
  if (identity.role === 'ANONYMOUS') throw unauthenticated('this field needs a token: send Authorization: Bearer <jwt>');
}

/** The caller must hold one of these roles: UNAUTHENTICATED without a token, FORBIDDEN otherwise. */
export function requireRole(identity: Identity, roles: readonly Role[]): void {
  requireSignedIn(identity);
  if (!roles.includes(identity.role)) throw forbidden(`needs role ${roles.join(' or ')}`);
}
