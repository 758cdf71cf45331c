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
  'legal-hold.place',
  'legal-hold.lift',
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

/** The contents of a row: what the caller recorded, and its time. */
export type AuditContent = Pick<
  AuditLogRow,
  'at' | 'actor_id' | 'actor_role' | 'actor_teams' | 'action' | 'case_id' | 'case_team' | 'person_id' | 'detail' | 'break_glass' | 'reason'
>;

/** A v1 row (written under the old chain lock): contents and link hashed together, `seq` is its chain place. */
export type ChainedFields = AuditContent & { seq: number; prev_hash: string | null; row_hash?: string | null; chain_seq?: number | null };

/** A row as the chain sees it: v1 (row_hash null) or v2 (row_hash set; sealed once hash is set). */
export type ChainRow = ChainedFields & { hash: string | null };

/**
 * The canonical serialisation of a v1 row that is hashed: a JSON array in a fixed order, with explicit nulls, the time
 * as an ISO string in UTC (milliseconds, as stored) and a version tag, so a change to the format is a new version,
 * not a silent reinterpretation of old rows.
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

const sha256 = (text: string) => createHash('sha256').update(text, 'utf8').digest('hex');

/**
 * v2: the hash of a row's contents alone, written with the row (no lock, no link). Not the insertion seq, which the
 * database draws on insert: the row's place is its chain_seq, bound by the seal.
 */
export function rowHash(r: AuditContent): string {
  return sha256(
    JSON.stringify(['vt-audit-row-v2', r.at.toISOString(), r.actor_id, r.actor_role, [...r.actor_teams], r.action, r.case_id, r.case_team, r.person_id, r.detail, r.break_glass, r.reason]),
  );
}

/** v2: the link the sealer writes, binding the row's place, the previous row's hash and the row's own contents hash. */
export function sealHash(chainSeq: number, prevHash: string, contentHash: string): string {
  return sha256(JSON.stringify(['vt-audit-seal-v2', chainSeq, prevHash, contentHash]));
}

/** The hash a sealed row must carry: v2 when it has a row hash, v1 otherwise. */
export function auditHash(r: ChainedFields): string {
  if (r.row_hash) return sealHash(r.chain_seq ?? r.seq, r.prev_hash ?? '', r.row_hash);
  return sha256(canonicalAuditRecord(r));
}

/** The row's place in the chain (v1 rows: their seq). */
export const chainPlace = (r: ChainedFields): number => r.chain_seq ?? r.seq;

/** Why an unsealed row is already broken (its contents no longer match the hash written with it), or null. */
export function unsealedBreak(row: ChainRow): string | null {
  if (!row.row_hash) return 'an unsealed row without a row hash';
  const recomputed = rowHash(row);
  if (row.row_hash !== recomputed) return `row_hash ${row.row_hash} does not match its contents (recomputed ${recomputed}): the unsealed row was changed`;
  return null;
}

/** Why a sealed row breaks the chain, or null when it follows `previous` correctly. */
export function chainBreak(row: ChainRow, previous: { seq: number; hash: string } | null): string | null {
  const expectedSeq = previous ? previous.seq + 1 : 1;
  const place = chainPlace(row);
  if (place !== expectedSeq) return `expected seq ${expectedSeq} but found seq ${place} (rows missing or inserted)`;
  const expectedPrev = previous ? previous.hash : GENESIS_HASH;
  if (row.prev_hash !== expectedPrev) return `prev_hash ${row.prev_hash} is not the hash of the row before (${expectedPrev})`;
  if (row.row_hash && row.row_hash !== rowHash(row)) return `row_hash ${row.row_hash} does not match its contents (recomputed ${rowHash(row)}): the row was changed`;
  const recomputed = auditHash(row);
  if (row.hash !== recomputed) return `stored hash ${row.hash} does not match its contents (recomputed ${recomputed}): the row was changed`;
  return null;
}
