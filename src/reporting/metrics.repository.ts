import { sql } from 'kysely';
import type { MonthCounts } from '../../workflows/reporting/month-counts';
import type { Executor } from '../../db/executor';

/** Days of receipt and waiting are counted in the zone of the Awt calendar. */
const TIME_ZONE = 'Europe/Amsterdam';

export interface TrendRow {
  month: string;
  gemeente: string;
  waiting_assessment: number;
  waiting_onderzoek: number;
  in_onderzoek: number;
  overdue: number;
}

export interface ReceivedRow {
  gemeente: string;
  severity: string;
  melder: string;
  report_kind: string;
  n: number;
}

/** The one row of `metrics_generation` (created by the first forget) moves on; its row lock is held until commit. */
async function bumpGeneration(db: Executor): Promise<void> {
  await sql`
    insert into metrics_generation (id, generation) values (true, 1)
    on conflict (id) do update set generation = metrics_generation.generation + 1`.execute(db);
}

/** All SQL behind the municipal metrics: aggregates only, never a person-level row leaves this module's callers. */
export const metricsRepository = {
  /** Meldingen received in [from, to), per gemeente × severity (as assessed) × melder type × kind (CBS). */
  async received(db: Executor, from: Date, to: Date): Promise<ReceivedRow[]> {
    const r = await sql<ReceivedRow>`
      select gemeente,
             coalesce(assessed_safety, 'onbeoordeeld') as severity,
             case when melder_professional then coalesce(melder_sector, 'overige_professional') else 'niet_professioneel' end as melder,
             report_kind,
             count(*)::int as n
      from cases where received_at >= ${from} and received_at < ${to}
      group by 1, 2, 3, 4`.execute(db);
    return r.rows;
  },

  /** Meldingen received in [from, to) per gemeente, type of violence (one melding may count under several) and severity. */
  async receivedByViolenceType(db: Executor, from: Date, to: Date): Promise<Array<{ gemeente: string; type: string; severity: string; n: number }>> {
    const r = await sql<{ gemeente: string; type: string; severity: string; n: number }>`
      select gemeente, t as type, coalesce(assessed_safety, 'onbeoordeeld') as severity, count(*)::int as n
      from cases cross join lateral unnest(violence_types) as t
      where received_at >= ${from} and received_at < ${to}
      group by 1, 2, 3`.execute(db);
    return r.rows;
  },

  /**
   * Onderzoeken concluded (conclusion approved) in [from, to): per gemeente, type of violence and outcome, as the
   * approved proposal recorded them (a conclusion with several types counts under each; one proposed before machine
   * v6 recorded none and is not counted here).
   */
  async onderzoekOutcomes(db: Executor, from: Date, to: Date): Promise<Array<{ gemeente: string; type: string; outcome: string; n: number }>> {
    const r = await sql<{ gemeente: string; type: string; outcome: string; n: number }>`
      select c.gemeente, o.key as type, o.value as outcome, count(*)::int as n
      from case_events a
      join cases c on c.id = a.case_id
      join lateral (select q.payload from case_events q where q.case_id = a.case_id and q.type = 'ONDERZOEK_CONCLUSION_PROPOSED' and q.seq < a.seq order by q.seq desc limit 1) p on true
      cross join lateral jsonb_each_text(p.payload -> 'outcomes') o
      where a.type = 'ONDERZOEK_CONCLUSION_APPROVED' and a.at >= ${from} and a.at < ${to}
      group by 1, 2, 3`.execute(db);
    return r.rows;
  },

  /** Adviezen given in [from, to): per gemeente, and per gemeente and type of violence (one advies may have several). */
  async adviezen(db: Executor, from: Date, to: Date): Promise<Array<{ gemeente: string; type: string | null; n: number }>> {
    const r = await sql<{ gemeente: string; type: string | null; n: number }>`
      select gemeente, null::text as type, count(*)::int as n from adviezen
      where received_at >= ${from} and received_at < ${to} group by 1
      union all
      select gemeente, t as type, count(*)::int as n from adviezen cross join lateral unnest(violence_types) as t
      where received_at >= ${from} and received_at < ${to} group by 1, 2`.execute(db);
    return r.rows;
  },

  /**
   * Safety assessments still running at moment `at` (opened before, neither met nor cancelled by then), past or
   * present, per gemeente, local day the term started and whether past their statutory end: a GiST index per kind on
   * the running span answers this without visiting the terms that ended, and grouping by day keeps the answer small
   * (the age in werkdagen depends only on that day). The melding's own assessment (`beoordeling-1`) started at receipt;
   * a herbeoordeling at its own opening (the span's lower bound).
   */
  async assessmentsRunningAt(db: Executor, at: Date): Promise<Array<{ gemeente: string; received_day: string; past_term: boolean; n: number }>> {
    const r = await sql<{ gemeente: string; received_day: string; past_term: boolean; n: number }>`
      select d.gemeente,
             to_char((case when d.key = 'beoordeling-1' then d.case_received_at else lower(d.running_span) end) at time zone ${TIME_ZONE}, 'YYYY-MM-DD') as received_day,
             d.original_due_at < ${at} as past_term, count(*)::int as n
      from deadlines d
      where d.kind = 'veiligheidsbeoordeling' and d.running_span @> ${at}::timestamptz
      group by 1, 2, 3`.execute(db);
    return r.rows;
  },

  /** Onderzoeken running at moment `at` per gemeente and whether past their statutory end. */
  async onderzoekenRunningAt(db: Executor, at: Date): Promise<Array<{ gemeente: string; past_term: boolean; n: number }>> {
    const r = await sql<{ gemeente: string; past_term: boolean; n: number }>`
      select d.gemeente, d.original_due_at < ${at} as past_term, count(*)::int as n
      from deadlines d
      where d.kind = 'onderzoek' and d.running_span @> ${at}::timestamptz
      group by 1, 2`.execute(db);
    return r.rows;
  },

  /** Onderzoek start terms (art. 4.1.7 lid 1) still running at moment `at` and past their statutory end, per gemeente. */
  async startTermsPastAt(db: Executor, at: Date): Promise<Array<{ gemeente: string; n: number }>> {
    const r = await sql<{ gemeente: string; n: number }>`
      select d.gemeente, count(*)::int as n
      from deadlines d
      where d.kind = 'onderzoek_start' and d.running_span @> ${at}::timestamptz and d.original_due_at < ${at}
      group by 1`.execute(db);
    return r.rows;
  },

  /** Meldingen waiting at moment `at` for their decided onderzoek to start, per gemeente and local day they began waiting. */
  async waitingForOnderzoekAt(db: Executor, at: Date): Promise<Array<{ gemeente: string; since_day: string; n: number }>> {
    const r = await sql<{ gemeente: string; since_day: string; n: number }>`
      select p.gemeente, to_char(p.entered_at at time zone ${TIME_ZONE}, 'YYYY-MM-DD') as since_day, count(*)::int as n
      from case_state_periods p
      where p.state = 'wacht_op_onderzoek' and p.span @> ${at}::timestamptz
      group by 1, 2`.execute(db);
    return r.rows;
  },

  /** Terms of a kind met in [from, to) per gemeente, and how many of them within the statutory (original) term. */
  async metIn(db: Executor, kind: string, from: Date, to: Date): Promise<Array<{ gemeente: string; met: number; in_time: number }>> {
    const r = await sql<{ gemeente: string; met: number; in_time: number }>`
      select d.gemeente, count(*)::int as met, count(*) filter (where d.met_at <= d.original_due_at)::int as in_time
      from deadlines d
      where d.kind = ${kind} and d.met_at >= ${from} and d.met_at < ${to}
      group by 1`.execute(db);
    return r.rows;
  },

  /**
   * Onderzoek terms decided in [from, to) per gemeente, against `due` (the statutory end, or the inspection's ten
   * weeks from receipt): met in time in the period it was met; failing in the period its end passed, whether the
   * onderzoek is still running, ended late or was cancelled after that end. So a running onderzoek lowers the figure
   * in the month it passes the term, not when it ends. Terms without an inspection end (opened before it was kept)
   * are left out of that measure.
   */
  async onderzoekTermsDecidedIn(db: Executor, due: 'original_due_at' | 'inspection_due_at', from: Date, to: Date): Promise<Array<{ gemeente: string; in_time: number; failing: number }>> {
    const col = sql.ref(`d.${due}`);
    const r = await sql<{ gemeente: string; in_time: number; failing: number }>`
      select gemeente, sum(in_time)::int as in_time, sum(failing)::int as failing from (
        select d.gemeente, count(*) as in_time, 0 as failing
        from deadlines d
        where d.kind = 'onderzoek' and d.met_at >= ${from} and d.met_at < ${to} and d.met_at <= ${col}
        group by 1
        union all
        select d.gemeente, 0, count(*)
        from deadlines d
        where d.kind = 'onderzoek' and ${col} >= ${from} and ${col} < ${to}
          and (d.met_at is null or d.met_at > ${col}) and (d.cancelled_at is null or d.cancelled_at > ${col})
        group by 1
      ) t group by 1`.execute(db);
    return r.rows;
  },

  /** Terms of a kind opened in [from, to) per gemeente. */
  async openedIn(db: Executor, kind: string, from: Date, to: Date): Promise<Array<{ gemeente: string; n: number }>> {
    const r = await sql<{ gemeente: string; n: number }>`
      select d.gemeente, count(*)::int as n
      from deadlines d
      where d.kind = ${kind} and d.opened_at >= ${from} and d.opened_at < ${to}
      group by 1`.execute(db);
    return r.rows;
  },

  /** Counts of complete months counted before. */
  async storedMonths(db: Executor, months: string[]): Promise<Map<string, MonthCounts>> {
    const rows = await db.selectFrom('metrics_monthly').select(['month', 'counts']).where('month', 'in', months).execute();
    return new Map(rows.map((r) => [r.month, r.counts]));
  },

  /** The generation of kept months: read before counting a month, so a forget that lands meanwhile is noticed. */
  async generation(db: Executor): Promise<string> {
    const r = await sql<{ generation: string }>`select coalesce((select generation from metrics_generation), 0)::text as generation`.execute(db);
    return r.rows[0]!.generation;
  },

  /**
   * Keeps a complete month's counts, unless a forget committed since `generation` was read (its counts may predate
   * it): the row lock taken by FOR SHARE waits for a forget still in flight, then reads the generation it left. A
   * concurrent count of the same month gives the same numbers.
   */
  async storeMonth(db: Executor, month: string, asOf: Date, computedAt: Date, counts: MonthCounts, generation: string): Promise<void> {
    await sql`
      insert into metrics_monthly (month, as_of, computed_at, counts)
      select ${month}, ${asOf}, ${computedAt}, ${JSON.stringify(counts)}::jsonb
      where coalesce((select g.generation from metrics_generation g for share), 0)::text = ${generation}
      on conflict (month) do nothing`.execute(db);
  },

  /** A melding registered late (received in an earlier month) changes that month's counts and every later one's. */
  async forgetMonthsFrom(db: Executor, month: string): Promise<void> {
    await bumpGeneration(db);
    await db.deleteFrom('metrics_monthly').where('month', '>=', month).execute();
  },

  /** An assessment decided after its melding's month ended changes that month's severity counts, and only that month's. */
  async forgetMonth(db: Executor, month: string): Promise<void> {
    await bumpGeneration(db);
    await db.deleteFrom('metrics_monthly').where('month', '=', month).execute();
  },

  /** The waiting list at the last snapshot of each month in [fromDay, untilDay), per gemeente (nightly snapshot table). */
  async monthlyTrend(db: Executor, fromDay: string, untilDay: string): Promise<TrendRow[]> {
    const r = await sql<TrendRow>`
      select to_char(m.start, 'YYYY-MM') as month, w.gemeente,
             coalesce(sum(w.open_cases) filter (where w.state in ('veiligheidsbeoordeling', 'besluit_ter_goedkeuring')), 0)::int as waiting_assessment,
             coalesce(sum(w.open_cases) filter (where w.state = 'wacht_op_onderzoek'), 0)::int as waiting_onderzoek,
             coalesce(sum(w.open_cases) filter (where w.state in ('onderzoek', 'conclusie_ter_goedkeuring')), 0)::int as in_onderzoek,
             coalesce(sum(w.overdue_cases), 0)::int as overdue
      from generate_series(${fromDay}::date, ${untilDay}::date - 1, interval '1 month') as m(start)
      -- The last snapshot of each month: one backward probe of the primary key per month.
      cross join lateral (select max(d.day) as day from waitlist_daily d where d.day >= m.start::date and d.day < (m.start + interval '1 month')::date) l
      join waitlist_daily w on w.day = l.day
      group by 1, 2`.execute(db);
    return r.rows;
  },
};
