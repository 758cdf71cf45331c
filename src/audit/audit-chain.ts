import { createHash } from 'node:crypto';
import type { AuditLogRow } from '../../db/schema';

/** The `prev_hash` of the first row. */
export const GENESIS_HASH = '0'.repeat(64);

/** Every action the trail records. Closed: a new kind of access gets a name here first. */
export const AUDIT_ACTIONS = [
  'melding.register',
  'case.event',
  'case.read',
  'case.history.read',
  'case.transitions.read',
  'case.list',
  'melder.read',
  'person.export',
  'alert.ack',
  'deadline.adjust',
  'audit.read',
  'melder.rekey',
  'advies.register',
  'advies.read',
  'alert-channels.change',
  /** The types of violence registered on a melding were corrected (VIOLENCE_TYPES_CORRECTED in the case history). */
  'violence-types.correct',
  'legal-hold.place',
  'legal-hold.lift',
  /** The nightly retention job destroyed a dossier (actor `retention-job`). */
  'dossier.destroy',
  /** A request refused on a case (or advies, alert, deadline): who, which route, and the reason code. */
  'access.refused',
  'cbs.delivery',
] as const;
export type AuditAction = (typeof AUDIT_ACTIONS)[number];

/** What a caller records; the trail adds seq, time and hashes. Ids, roles, actions and reasons only. */
export interface AuditEntry {
  actor: { id: string; role: string; teams: readonly string[] };
  action: AuditAction;
  caseId?: string | null;
  caseTeam?: string | null;
  personId?: string | null;
  detail?: string | null;
  breakGlass?: boolean;
  reason?: string | null;
}

export type ChainedFields = Omit<AuditLogRow, 'hash'>;

/**
 * The canonical serialisation that is hashed: a JSON array in a fixed order, with explicit nulls, the time as an ISO
 * string in UTC (milliseconds, as stored) and a version tag, so a change to the format is a new version, not a silent
 * reinterpretation of old rows.
 */
export function canonicalAuditRecord(r: ChainedFields): string {
  return JSON.stringify([
    'vt-audit-v1',
    r.seq,
    r.prev_hash,
    r.at.toISOString(),
    r.actor_id,
    r.actor_role,
    [...r.actor_teams],
    r.action,
    r.case_id,
    r.case_team,
    r.person_id,
    r.detail,
    r.break_glass,
    r.reason,
  ]);
}

export function auditHash(r: ChainedFields): string {
  return createHash('sha256').update(canonicalAuditRecord(r), 'utf8').digest('hex');
}

/** Why a row breaks the chain, or null when it follows `previous` correctly. */
export function chainBreak(row: AuditLogRow, previous: { seq: number; hash: string } | null): string | null {
  const expectedSeq = previous ? previous.seq + 1 : 1;
  if (row.seq !== expectedSeq) return `expected seq ${expectedSeq} but found seq ${row.seq} (rows missing or inserted)`;
  const expectedPrev = previous ? previous.hash : GENESIS_HASH;
  if (row.prev_hash !== expectedPrev) return `prev_hash ${row.prev_hash} is not the hash of the row before (${expectedPrev})`;
  const recomputed = auditHash(row);
  if (row.hash !== recomputed) return `stored hash ${row.hash} does not match its contents (recomputed ${recomputed}): the row was changed`;
  return null;
}
