import type { ReportKind } from '../../db/schema';
import type { Executor } from '../../db/executor';

/**
 * The kind of a new melding as CBS counts it (StatLine Veilig Thuis; CBS maatwerk "Meerdere meldingen bij Veilig
 * Thuis"): a first melding when none of its persons is known, a vervolgmelding when one of them is on a case still
 * open (the melding is added to it: `linkedCaseId`), else a hermelding (known from a case closed by now). Persons are
 * recognised by BSN.
 */
export async function reportKindOf(db: Executor, bsns: string[]): Promise<{ kind: ReportKind; linkedCaseId: string | null }> {
  if (bsns.length === 0) return { kind: 'eerste', linkedCaseId: null };
  const known = await db
    .selectFrom('persons as p')
    .innerJoin('cases as c', 'c.id', 'p.case_id')
    .select(['c.id', 'c.closed_at'])
    .where('p.bsn', 'in', bsns)
    .orderBy('c.closed_at', (o) => o.desc().nullsFirst())
    .orderBy('c.registered_at', 'desc')
    .limit(1)
    .executeTakeFirst();
  if (!known) return { kind: 'eerste', linkedCaseId: null };
  return known.closed_at === null ? { kind: 'vervolgmelding', linkedCaseId: known.id } : { kind: 'hermelding', linkedCaseId: null };
}
