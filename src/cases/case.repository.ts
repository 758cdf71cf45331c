import { CompiledQuery, sql, type QueryCreator } from 'kysely';
import type { Executor } from '../../db/executor';
import type { CaseEventRow, CaseRow, DB, DeadlineRow, MelderIdentityRow, MelderRow, NewDeadline, NewOnderzoekPlanFacts, NewQualityFacts, PersonRow } from '../../db/schema';
import type { DeadlineRef } from '../../workflows/deadlines/deadline-policy';

export interface CaseListFilter {
  teams: string[] | 'all';
  state?: string[];
  team?: string;
  gemeente?: string;
  overdueAt?: Date;
  dueBefore?: Date;
  limit: number;
  /** Keyset cursor: the last row of the previous page. */
  after?: { nextDueAt: Date | null; id: string };
}

/** Every column of `cases`, for statements that name their result columns (prepared ones: db/prepared-statements.ts). */
export const CASE_COLUMNS = [
  'id', 'team_id', 'gemeente', 'state', 'version', 'machine_version', 'snapshot', 'received_at', 'registered_at', 'registered_by', 'acute_danger',
  'violence_types', 'melder_professional', 'melder_sector', 're_report', 'safety', 'assessed_safety', 'report_kind', 'linked_case_id', 'decision_code',
  'summary', 'next_due_at', 'closed_at', 'updated_at', 'advies_id', 'destroy_on', 'retention_rule', 'legal_hold_since', 'legal_hold_by',
  'legal_hold_reason', 'destroyed_at',
] as const satisfies ReadonlyArray<keyof CaseRow>;
/** Fails to compile while a column of CaseRow is missing from CASE_COLUMNS. */
export type CaseColumnsComplete = AllListed<Exclude<keyof CaseRow, (typeof CASE_COLUMNS)[number]>>;
type AllListed<Missing extends never> = Missing;

/** What the case view shows besides the case row: its persons, melder, deadlines and the vervolgmeldingen added to it. */
export interface CaseDetails {
  persons: PersonRow[];
  melder: MelderRow | undefined;
  deadlines: DeadlineRow[];
  vervolgmeldingen: Array<{ caseId: string; receivedAt: string }>;
}

/**
 * The case's details as four JSON columns (SQL text), for the case named by `caseRef` (a parameter or a column): read
 * on their own (`details`) or beside the new row in the statement that writes a change (case-change-statement.ts), so
 * they show the case as that change left it.
 */
export function caseDetailColumnsSql(caseRef: string): string {
  return [
    `(select coalesce(json_agg(p order by p.ordinal), '[]') from "persons" p where p.case_id = ${caseRef}) as "persons"`,
    `(select to_json(m) from "melders" m where m.case_id = ${caseRef}) as "melder"`,
    `(select coalesce(json_agg(d order by d.due_at, d.kind), '[]') from "deadlines" d where d.case_id = ${caseRef}) as "deadlines"`,
    `(select coalesce(json_agg(json_build_object('id', v.id, 'received_at', v.received_at) order by v.received_at, v.id), '[]') from "cases" v where v.linked_case_id = ${caseRef}) as "vervolgmeldingen"`,
  ].join(', ');
}

/** A row as JSON brings it: timestamps as text. */
type AsJson<T> = { [K in keyof T]: T[K] extends Date ? string : T[K] extends Date | null ? string | null : T[K] };

/** The four columns as they come back. */
export interface CaseDetailColumns {
  persons: Array<AsJson<PersonRow>>;
  melder: MelderRow | null;
  deadlines: Array<AsJson<DeadlineRow>>;
  vervolgmeldingen: Array<{ id: string; received_at: string }>;
}

/** The JSON columns back as rows: timestamps come back from JSON as text. */
export function parseCaseDetails(row: CaseDetailColumns): CaseDetails {
  const at = (v: string) => new Date(v);
  const maybe = (v: string | null) => (v === null ? null : new Date(v));
  return {
    persons: row.persons.map((p) => ({ ...p, created_at: at(p.created_at) })),
    melder: row.melder ?? undefined,
    deadlines: row.deadlines.map((d) => ({
      ...d,
      opened_at: at(d.opened_at),
      due_at: at(d.due_at),
      original_due_at: at(d.original_due_at),
      warn_at: at(d.warn_at),
      warned_at: maybe(d.warned_at),
      breached_at: maybe(d.breached_at),
      inspection_due_at: maybe(d.inspection_due_at),
      met_at: maybe(d.met_at),
      cancelled_at: maybe(d.cancelled_at),
      case_received_at: at(d.case_received_at),
    })),
    vervolgmeldingen: row.vervolgmeldingen.map((v) => ({ caseId: v.id, receivedAt: at(v.received_at).toISOString() })),
  };
}

/** All SQL about cases, persons, melders, history and deadlines. */
export const caseRepository = {
  async ensureTeam(db: Executor, teamId: string): Promise<void> {
    await db.insertInto('teams').values({ id: teamId, name: null }).onConflict((oc) => oc.column('id').doNothing()).execute();
  },


  async insertMelder(db: Executor, row: MelderRow): Promise<void> {
    await db.insertInto('melders').values(row).execute();
  },

  async insertMelderIdentity(db: Executor, row: MelderIdentityRow): Promise<void> {
    await db.insertInto('melder_identities').values(row).execute();
  },

  async melder(db: Executor, caseId: string): Promise<MelderRow | undefined> {
    return db.selectFrom('melders').selectAll().where('case_id', '=', caseId).executeTakeFirst();
  },

  async melderIdentity(db: Executor, caseId: string): Promise<MelderIdentityRow | undefined> {
    return db.selectFrom('melder_identities').selectAll().where('case_id', '=', caseId).executeTakeFirst();
  },

  async insertPersons(db: Executor, rows: PersonRow[]): Promise<void> {
    if (rows.length > 0) await db.insertInto('persons').values(rows).execute();
  },

  async nextPersonOrdinal(db: Executor, caseId: string): Promise<number> {
    const row = await db.selectFrom('persons').select(sql<number>`coalesce(max(ordinal), 0)::int`.as('max')).where('case_id', '=', caseId).executeTakeFirst();
    return (row?.max ?? 0) + 1;
  },

  /** A re-report: someone on the new melding, identified by BSN, was on an earlier melding. */
  async anyBsnKnown(db: Executor, bsns: string[]): Promise<boolean> {
    if (bsns.length === 0) return false;
    const row = await db.selectFrom('persons').select('id').where('bsn', 'in', bsns).limit(1).executeTakeFirst();
    return row !== undefined;
  },

  async findCase(db: Executor, id: string): Promise<CaseRow | undefined> {
    return db.selectFrom('cases').selectAll().where('id', '=', id).executeTakeFirst();
  },





  async insertQualityFacts(db: Executor, row: NewQualityFacts): Promise<void> {
    await db.insertInto('case_quality_facts').values(row).execute();
  },

  async insertPlanFacts(db: Executor, row: NewOnderzoekPlanFacts): Promise<void> {
    await db.insertInto('onderzoek_plan_facts').values(row).execute();
  },

  async insertDeadlines(db: Executor, rows: NewDeadline[]): Promise<void> {
    if (rows.length === 0) return;
    await db
      .insertInto('deadlines')
      .values(rows)
      .onConflict((oc) => oc.columns(['case_id', 'kind', 'key']).doNothing())
      .execute();
  },

  /**
   * A change's deadline changes: the ones it meets (still open or breached) and the ones it opens (one already there
   * by case, kind and key stays as it is) in one statement, then, on reaching a final state, every one still open
   * cancelled (after the opening, as before: a final state keeps no open term).
   */
  async changeDeadlines(db: Executor, caseId: string, c: { meet: DeadlineRef[]; open: NewDeadline[]; cancelAllOpen: boolean }, at: Date): Promise<void> {
    const meet = (q: QueryCreator<DB>) =>
      q
        .updateTable('deadlines')
        .set({ status: 'met', met_at: at })
        .where('case_id', '=', caseId)
        .where((eb) => eb.or(c.meet.map((ref) => eb.and([eb('kind', '=', ref.kind), eb('key', '=', ref.key)]))))
        .where('status', 'in', ['open', 'breached']);
    const open = (q: QueryCreator<DB>) => q.insertInto('deadlines').values(c.open).onConflict((oc) => oc.columns(['case_id', 'kind', 'key']).doNothing());
    if (c.meet.length > 0 && c.open.length > 0) await open(db.with('met', meet)).execute();
    else if (c.meet.length > 0) await meet(db).execute();
    else if (c.open.length > 0) await open(db).execute();
    if (c.cancelAllOpen) await caseRepository.cancelOpenDeadlines(db, caseId, at);
  },

  async cancelOpenDeadlines(db: Executor, caseId: string, at: Date): Promise<void> {
    await db.updateTable('deadlines').set({ status: 'cancelled', cancelled_at: at }).where('case_id', '=', caseId).where('status', 'in', ['open', 'breached']).execute();
  },

  async persons(db: Executor, caseId: string): Promise<PersonRow[]> {
    return db.selectFrom('persons').selectAll().where('case_id', '=', caseId).orderBy('ordinal').execute();
  },

  async deadlines(db: Executor, caseId: string): Promise<DeadlineRow[]> {
    return db.selectFrom('deadlines').selectAll().where('case_id', '=', caseId).orderBy('due_at').orderBy('kind').execute();
  },

  /** Persons, melder, deadlines and vervolgmeldingen of a case in one round trip. */
  async details(db: Executor, caseId: string): Promise<CaseDetails> {
    const { rows } = await db.executeQuery<CaseDetailColumns>(CompiledQuery.raw(`select ${caseDetailColumnsSql('$1')}`, [caseId]));
    return parseCaseDetails(rows[0]!);
  },

  async history(db: Executor, caseId: string): Promise<CaseEventRow[]> {
    return db.selectFrom('case_events').selectAll().where('case_id', '=', caseId).orderBy('seq').execute();
  },

  /** Cases sorted by their nearest open deadline (none last), then id; keyset-paginated. */
  async list(db: Executor, f: CaseListFilter): Promise<CaseRow[]> {
    let q = db.selectFrom('cases').selectAll();
    if (f.teams !== 'all') q = q.where('team_id', 'in', f.teams.length > 0 ? f.teams : ['\u0000']);
    if (f.team) q = q.where('team_id', '=', f.team);
    if (f.state && f.state.length > 0) q = q.where('state', 'in', f.state);
    if (f.gemeente) q = q.where('gemeente', '=', f.gemeente);
    if (f.overdueAt) q = q.where('next_due_at', '<', f.overdueAt);
    if (f.dueBefore) q = q.where('next_due_at', '<', f.dueBefore);
    if (f.after) {
      const { nextDueAt, id } = f.after;
      q =
        nextDueAt === null
          ? q.where('next_due_at', 'is', null).where('id', '>', id)
          : q.where((eb) =>
              eb.or([
                eb('next_due_at', '>', nextDueAt),
                eb('next_due_at', 'is', null),
                eb.and([eb('next_due_at', '=', nextDueAt), eb('id', '>', id)]),
              ]),
            );
    }
    return q.orderBy(sql`next_due_at asc nulls last`).orderBy('id').limit(f.limit).execute();
  },
};
