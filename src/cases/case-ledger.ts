import { randomUUID } from 'node:crypto';
import { sql, type QueryCreator, type Transaction } from 'kysely';
import type { CaseRow, DB, NewCase } from '../../db/schema';
import type { Database } from '../../db/database';
import type { CaseHistoryEventType } from '../../workflows/melding/case-history-events';
import type { AuditEntry } from '../audit/audit-chain';
import type { AuditTrail } from '../audit/audit-trail';
import { caseRepository, parseCaseDetails, type CaseDetails } from './case.repository';
import { changeStatement, lockStatement, readStatement } from './case-change-statement';
import { AppError } from '../shared/errors';

/** One row of a case's history, as a writer describes it; the ledger adds the case, the sequence number and the id. */
export interface HistoryEntry {
  /** The event's id (a machine event's `eventId`); a fresh one if left out. */
  id?: string;
  type: CaseHistoryEventType;
  actor: { id: string; role: string };
  fromState: string | null;
  toState: string;
  /** What the history keeps of the event: ids, codes and the free text the dossier holds (redacted at destruction). */
  payload: Record<string, unknown>;
  /** The round of the melding the event belongs to (null for events outside the machine's rounds). */
  round?: number | null;
}

/** Columns a change sets on the case besides its version (`version` and `updated_at` are the ledger's). */
export type CaseChanges = Partial<Omit<NewCase, 'id' | 'version' | 'updated_at'>>;

/** A change to an existing case: the columns, its history row (or how to compute it after the bump), its audit row. */
export interface CaseChange {
  /** When: the history row's time and the case's `updated_at`. */
  at: Date;
  changes?: CaseChanges;
  event: HistoryEntry | ((row: CaseRow) => Promise<HistoryEntry>);
  audit: AuditEntry;
  /** Return the case's details (persons, melder, deadlines, vervolgmeldingen) as the change left them, read in its statement. */
  details?: boolean;
}

/** A destroyed dossier is gone for good: 410 with the date, never the anonymised shell (that is for figures only). */
export function assertNotDestroyed(row: Pick<CaseRow, 'id' | 'destroyed_at'>): void {
  if (row.destroyed_at) throw new AppError('CASE.DESTROYED', `case ${row.id} was destroyed on ${row.destroyed_at.toISOString().slice(0, 10)} at the end of its retention term`);
}

/** What `record` returns: the new case row, what `within` returned, and the case's details when asked for. */
export interface RecordedChange<T> {
  row: CaseRow;
  result: T | undefined;
  /** Persons, melder, deadlines and vervolgmeldingen as the change left them (`CaseChange.details`); else undefined. */
  details: CaseDetails | undefined;
}

/**
 * The case ledger: the only code that bumps a case's version, appends to its history (`case_events`) and records
 * the change's audit row. Every change is, in this order and in the caller's transaction (the case locked first):
 * 1. one statement that writes the case row (the changed columns, `version + 1` if it is still at the version the
 *    caller locked, `updated_at`, and `next_due_at` recomputed from the deadlines, so deadline changes go before the
 *    ledger), the history row at `seq = version` (inserted only with the updated row) and the audit row (unchained
 *    and lock-free, so its place in the lock order does not matter: the sealer chains it after the commit,
 *    src/audit/audit-sealer.ts), and returns the new row, with the case's details if asked;
 * 2. `within`: rows that belong to the change and follow it in the lock order (quality facts, alerts).
 * A history row computed from the updated row (the destruction counts what it removed once the case is marked
 * destroyed) takes separate statements: the update, the history row, `within`, the audit row.
 */
export class CaseLedger {
  private readonly newId: () => string;

  constructor(private readonly o: { audit: AuditTrail; newId?: () => string }) {
    this.newId = o.newId ?? randomUUID;
  }

  /** Locks a case for a change: concurrent changes to one case queue here. 404 if it does not exist. */
  async lock(trx: Transaction<DB>, caseId: string): Promise<CaseRow> {
    const [row] = (await trx.executeQuery(lockStatement(caseId))).rows;
    if (!row) throw new AppError('CASE.NOT_FOUND', `case ${caseId} does not exist`);
    return row;
  }

  /** The case row as last committed, without a lock (for `recordAlone`); undefined if it does not exist. */
  async read(db: Database, caseId: string): Promise<CaseRow | undefined> {
    return (await db.executeQuery(readStatement(caseId))).rows[0];
  }

  /** `lock`, and 410 if the dossier was destroyed. */
  async lockLive(trx: Transaction<DB>, caseId: string): Promise<CaseRow> {
    const row = await this.lock(trx, caseId);
    assertNotDestroyed(row);
    return row;
  }

  /** A new case at version 1 with its first history row; `within` writes what hangs off the case, then the audit row. */
  async open<T>(trx: Transaction<DB>, row: Omit<NewCase, 'version'>, entry: Omit<HistoryEntry, 'fromState'>, audit: AuditEntry, within: () => Promise<T>): Promise<T> {
    await trx.insertInto('cases').values({ ...row, version: 1 }).execute();
    await this.append(trx, row.id, 1, row.updated_at, { ...entry, fromState: null });
    const result = await within();
    await this.o.audit.recordIn(trx, audit);
    return result;
  }

  /**
   * Records a change to a case the caller has locked at `current.version`. Throws CASE.VERSION_CONFLICT if the case
   * is no longer at that version. Returns the new case row, what `within` returned and (if asked) the details.
   */
  async record<T = undefined>(trx: Transaction<DB>, current: Pick<CaseRow, 'id' | 'version'>, change: CaseChange, within?: (row: CaseRow) => Promise<T>): Promise<RecordedChange<T>> {
    const event = change.event;
    if (typeof event === 'function') return this.recordComputed(trx, current, change, event, within);
    const written = await this.write(trx, current, change, event);
    if (!written) throw versionConflict();
    const result = within ? await within(written.row) : undefined;
    return { ...written, result };
  }

  /**
   * A change that is only the case row, its history row and its audit row, made by the one change statement on its
   * own (no transaction, no lock): it writes all three if the case is still at `current.version` (read without a
   * lock, `read`) and nothing otherwise, and then answers undefined (the caller takes the locked way, which answers
   * the conflict as usual). The statement is atomic, and its update waits for any change in flight on the row and
   * re-checks the version after it, so no update is lost.
   */
  async recordAlone(db: Database, current: Pick<CaseRow, 'id' | 'version'>, change: CaseChange & { event: HistoryEntry }): Promise<RecordedChange<undefined> | undefined> {
    const written = await this.write(db, current, change, change.event);
    return written ? { ...written, result: undefined } : undefined;
  }

  private async write(executor: Database | Transaction<DB>, current: Pick<CaseRow, 'id' | 'version'>, change: CaseChange, event: HistoryEntry): Promise<{ row: CaseRow; details: CaseDetails | undefined } | undefined> {
    return this.o.audit.recordWith(change.audit, async (audit) => {
      const statement = changeStatement({ caseId: current.id, lockedVersion: current.version, at: change.at, changes: change.changes ?? {}, historyId: event.id ?? this.newId(), event, audit, details: change.details === true });
      const written = (await executor.executeQuery(statement)).rows[0];
      if (!written) return undefined;
      // The details are only there when asked for; the row is every column of the case (no more, no less).
      const { persons, melder, deadlines, vervolgmeldingen, ...caseRow } = written;
      const read = persons && deadlines && vervolgmeldingen && melder !== undefined ? parseCaseDetails({ persons, melder, deadlines, vervolgmeldingen }) : undefined;
      return { row: caseRow, details: read };
    });
  }

  private async recordComputed<T>(trx: Transaction<DB>, current: Pick<CaseRow, 'id' | 'version'>, change: CaseChange, event: (row: CaseRow) => Promise<HistoryEntry>, within?: (row: CaseRow) => Promise<T>): Promise<RecordedChange<T>> {
    const row = await this.updateCase(trx, current, change).returningAll().executeTakeFirst();
    if (!row) throw versionConflict();
    await this.append(trx, current.id, row.version, change.at, await event(row));
    const result = within ? await within(row) : undefined;
    await this.o.audit.recordIn(trx, change.audit);
    return { row, result, details: change.details ? await caseRepository.details(trx, current.id) : undefined };
  }

  /** The case row's update: the changes, the next due moment from the deadlines, `version + 1` if still at `current.version`. */
  private updateCase(q: QueryCreator<DB>, current: Pick<CaseRow, 'id' | 'version'>, change: CaseChange) {
    return q
      .updateTable('cases')
      .set({
        next_due_at: sql<Date | null>`(select min(d.due_at) from deadlines d where d.case_id = ${current.id} and d.status in ('open', 'breached'))`,
        ...change.changes,
        version: current.version + 1,
        updated_at: change.at,
      })
      .where('id', '=', current.id)
      .where('version', '=', current.version);
  }

  private async append(trx: Transaction<DB>, caseId: string, seq: number, at: Date | string, e: HistoryEntry): Promise<void> {
    await trx
      .insertInto('case_events')
      .values({
        id: e.id ?? this.newId(),
        case_id: caseId,
        seq,
        type: e.type,
        actor_id: e.actor.id,
        actor_role: e.actor.role,
        at,
        from_state: e.fromState,
        to_state: e.toState,
        payload: JSON.stringify(e.payload),
        round: e.round ?? null,
      })
      .execute();
  }
}

function versionConflict(): AppError {
  return new AppError('CASE.VERSION_CONFLICT', 'the case changed while this event was applied: reload it and try again');
}
