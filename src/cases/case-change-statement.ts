import { CompiledQuery } from 'kysely';
import type { CaseRow, NewAuditLogRow } from '../../db/schema';
import { AUDIT_ROW_COLUMNS } from '../audit/audit.repository';
import { prepared } from '../../db/prepared-statements';
import { CASE_COLUMNS, caseDetailColumnsSql, type CaseDetailColumns } from './case.repository';

/**
 * The case ledger's statement for a change (case-ledger.ts): the audit row and its place in the sealer's queue, the
 * case row at `version + 1` if still at the locked version, and the history row at `seq = version` inserted only
 * with the updated row, returning the new row (and, if asked, the case's details as the change left them).
 *
 * It is SQL text, built once per shape (which columns change, whether details are read) and kept: this is the one
 * statement of every transition, and building and compiling it with the query builder cost about a fifth of a
 * transition's CPU in Node (issue 19). The values go as parameters exactly as the query builder would send them.
 * Each text is a prepared statement (db/prepared-statements.ts): PostgreSQL parses and plans it once per connection.
 */
export interface ChangeStatementInput {
  caseId: string;
  lockedVersion: number;
  at: Date;
  /** The columns the change sets (the ledger's CaseChanges), besides version, updated_at and next_due_at. */
  changes: Readonly<Record<string, unknown>>;
  historyId: string;
  /** The history row (the ledger's HistoryEntry). */
  event: { type: string; actor: { id: string; role: string }; fromState: string | null; toState: string; payload: Record<string, unknown>; round?: number | null };
  audit: NewAuditLogRow;
  details: boolean;
}

export type ChangedRow = CaseRow & Partial<CaseDetailColumns>;

const AUDIT_PARAMS = AUDIT_ROW_COLUMNS.length;
/** After the audit row's parameters: case id, locked version, new version, updated_at, then the history row's. */
const HISTORY_VALUES = ['id', 'type', 'actor_id', 'actor_role', 'at', 'from_state', 'to_state', 'payload', 'round'] as const;
const FIXED_PARAMS = AUDIT_PARAMS + 4 + HISTORY_VALUES.length;

const texts = new Map<string, string>();
const caseColumns = CASE_COLUMNS.map((c) => `"${c}"`).join(', ');

/** The lock a change takes first: the whole case row, `for update` (a prepared statement, as the change statement). */
const LOCK = prepared(`select ${caseColumns} from "cases" where "id" = $1 for update`);
/** The case row without a lock, for a change made in its one statement alone (the version check is in its update). */
const READ = prepared(`select ${caseColumns} from "cases" where "id" = $1`);

export function lockStatement(caseId: string): CompiledQuery<CaseRow> {
  return CompiledQuery.raw(LOCK, [caseId]);
}

export function readStatement(caseId: string): CompiledQuery<CaseRow> {
  return CompiledQuery.raw(READ, [caseId]);
}

export function changeStatement(input: ChangeStatementInput): CompiledQuery<ChangedRow> {
  const entries = Object.entries(input.changes).filter(([, value]) => value !== undefined);
  const columns = entries.map(([column]) => column);
  const key = `${input.details ? 'd' : '-'}:${columns.join(',')}`;
  let text = texts.get(key);
  if (text === undefined) {
    text = prepared(statementText(columns, input.details));
    texts.set(key, text);
  }
  const e = input.event;
  const params: unknown[] = [
    ...AUDIT_ROW_COLUMNS.map((c) => input.audit[c] ?? null),
    input.caseId,
    input.lockedVersion,
    input.lockedVersion + 1,
    input.at,
    input.historyId,
    e.type,
    e.actor.id,
    e.actor.role,
    input.at,
    e.fromState,
    e.toState,
    JSON.stringify(e.payload),
    e.round ?? null,
    ...entries.map(([, value]) => value),
  ];
  return CompiledQuery.raw(text, params);
}

function statementText(columns: string[], details: boolean): string {
  for (const c of columns) if (!/^[a-z_]+$/.test(c)) throw new Error(`not a column of cases: ${c}`);
  const p = (n: number) => `$${n}`;
  const caseId = p(AUDIT_PARAMS + 1);
  const set = columns.map((c, i) => `"${c}" = ${p(FIXED_PARAMS + 1 + i)}`);
  // Like the query builder's `{ next_due_at: subquery, ...changes }`: a change that sets next_due_at itself wins.
  if (!columns.includes('next_due_at')) set.unshift(`"next_due_at" = (select min(d.due_at) from deadlines d where d.case_id = ${caseId} and d.status in ('open', 'breached'))`);
  set.push(`"version" = ${p(AUDIT_PARAMS + 3)}`, `"updated_at" = ${p(AUDIT_PARAMS + 4)}`);
  const history = HISTORY_VALUES.map((_, i) => p(AUDIT_PARAMS + 5 + i));
  // The audit row and the history row are written only with the updated row: a case no longer at the locked version
  // leaves nothing behind, also when the statement runs on its own, outside a transaction (case-ledger.ts, recordAlone).
  return [
    `with "changed" as (update "cases" set ${set.join(', ')} where "id" = ${caseId} and "version" = ${p(AUDIT_PARAMS + 2)} returning ${caseColumns}),`,
    `"audit_written" as (insert into "audit_log" (${AUDIT_ROW_COLUMNS.map((c) => `"${c}"`).join(', ')})`,
    `  select ${AUDIT_ROW_COLUMNS.map((_, i) => p(i + 1)).join(', ')} from "changed" returning "seq"),`,
    `"audit_queued" as (insert into "audit_pending" ("audit_seq") select "seq" from "audit_written"),`,
    `"history" as (insert into "case_events" ("id", "case_id", "seq", "type", "actor_id", "actor_role", "at", "from_state", "to_state", "payload", "round")`,
    `  select ${history[0]}, "changed"."id", "changed"."version", ${history.slice(1).join(', ')} from "changed")`,
    `select "changed".*${details ? `, ${caseDetailColumnsSql('"changed"."id"')}` : ''} from "changed"`,
  ].join('\n');
}
