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

/** The contents of an audit row: what its `row_hash` and, through it, its seal cover. */
export type AuditContents = Pick<AuditLogRow, 'at' | 'actor_id' | 'actor_role' | 'actor_teams' | 'action' | 'case_id' | 'case_team' | 'person_id' | 'detail' | 'break_glass' | 'reason'>;

/** A row of the chain written before the sealer (issue 19): chained in `audit_log` itself, format `vt-audit-v1`. */
export type ChainedFields = AuditContents & { seq: number; prev_hash: string };
export type LegacyChainedRow = ChainedFields & { hash: string };

/** The contents in canonical order (explicit nulls, the time as an ISO string in UTC milliseconds, as stored). */
function contentsInOrder(r: AuditContents): unknown[] {
  return [r.at.toISOString(), r.actor_id, r.actor_role, [...r.actor_teams], r.action, r.case_id, r.case_team, r.person_id, r.detail, r.break_glass, r.reason];
}

const sha256 = (text: string) => createHash('sha256').update(text, 'utf8').digest('hex');

/**
 * The canonical serialisation that is hashed: a JSON array in a fixed order, with explicit nulls, the time as an ISO
 * string in UTC (milliseconds, as stored) and a version tag, so a change to the format is a new version, not a silent
 * reinterpretation of old rows.
 */
export function canonicalAuditRecord(r: ChainedFields): string {
  return JSON.stringify(['vt-audit-v1', r.seq, r.prev_hash, ...contentsInOrder(r)]);
}

export function auditHash(r: ChainedFields): string {
  return sha256(canonicalAuditRecord(r));
}

/** The hash a row is written with (before any seal): its contents only, format `vt-audit-row-v1`. */
export function auditRowHash(r: AuditContents): string {
  return sha256(JSON.stringify(['vt-audit-row-v1', ...contentsInOrder(r)]));
}

/** What a seal link covers: its position, the row it seals, the row's hash and the link before it. */
export interface SealFields {
  chain_seq: number;
  audit_seq: number;
  row_hash: string;
  prev_hash: string;
}

export function sealHash(f: SealFields): string {
  return sha256(JSON.stringify(['vt-audit-seal-v1', f.chain_seq, f.audit_seq, f.row_hash, f.prev_hash]));
}

/** Why a row of the old chain breaks it, or null when it follows `previous` correctly. */
export function chainBreak(row: LegacyChainedRow, previous: { seq: number; hash: string } | null): string | null {
  const expectedSeq = previous ? previous.seq + 1 : 1;
  if (row.seq !== expectedSeq) return `expected seq ${expectedSeq} but found seq ${row.seq} (rows missing or inserted)`;
  const expectedPrev = previous ? previous.hash : GENESIS_HASH;
  if (row.prev_hash !== expectedPrev) return `prev_hash ${row.prev_hash} is not the hash of the row before (${expectedPrev})`;
  const recomputed = auditHash(row);
  if (row.hash !== recomputed) return `stored hash ${row.hash} does not match its contents (recomputed ${recomputed}): the row was changed`;
  return null;
}

/** A seal link with the row it seals (null when that row is gone). */
export interface SealedRow {
  chain_seq: number;
  audit_seq: number;
  prev_hash: string;
  hash: string;
  row: (AuditContents & { row_hash: string | null }) | null;
}

/** Why a seal link breaks the chain (position `previous.seq + 1`), or null when it and its row are intact. */
export function sealBreak(link: SealedRow, previous: { seq: number; hash: string } | null): string | null {
  const expected = previous ? previous.seq + 1 : 1;
  if (link.chain_seq !== expected) return `expected chain position ${expected} but found position ${link.chain_seq} (seals missing or inserted)`;
  if (!link.row) return `the row sealed at position ${link.chain_seq} is missing: it was deleted`;
  const rowHash = auditRowHash(link.row);
  if (link.row.row_hash !== rowHash) return `stored row_hash ${String(link.row.row_hash)} does not match its contents (recomputed ${rowHash}): the row was changed`;
  const expectedPrev = previous ? previous.hash : GENESIS_HASH;
  if (link.prev_hash !== expectedPrev) return `seal prev_hash ${link.prev_hash} is not the hash of the link before (${expectedPrev})`;
  const recomputed = sealHash({ chain_seq: link.chain_seq, audit_seq: link.audit_seq, row_hash: rowHash, prev_hash: link.prev_hash });
  if (link.hash !== recomputed) return `seal hash ${link.hash} does not match the row and the link before (recomputed ${recomputed}): the row or its seal was changed`;
  return null;
}

/** Why a row not yet sealed is already wrong (changed, or dropped from the sealer's queue), or null. */
export function unsealedBreak(row: AuditContents & { row_hash: string | null }, queued: boolean): string | null {
  const rowHash = auditRowHash(row);
  if (row.row_hash !== rowHash) return `unsealed row: stored row_hash ${String(row.row_hash)} does not match its contents (recomputed ${rowHash}): the row was changed`;
  if (!queued) return 'unsealed row is not queued for sealing: its queue entry was removed, so it would never be sealed';
  return null;
}
