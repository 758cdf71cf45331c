import type { Principal } from '../auth/principal';
import type { AuditEntry } from './audit-chain';

/** The actor as the audit trail records it. */
export function auditActor(p: Principal): AuditEntry['actor'] {
  return { id: p.sub, role: p.role, teams: p.teams };
}
