/**
 * Reading alerts in tests: the alerts raised by a term's timers (warning, breach, escalation) apart from the
 * immediate `acute` alert an acute melding raises at registration or when acute unsafety is established
 * (docs/terms-and-quality.md, the acute path). Tests that count a term's alerts read them here, not by hand.
 */
import type { Database } from '../../db/database';
import type { AlertRow } from '../../db/schema';

/** The level of the immediate alert; not raised by a term's timers. */
export const IMMEDIATE_LEVEL = 'acute';

/** Alerts raised by the terms of a case (or of the given deadlines), oldest first. */
export function termAlerts(db: Database, of: { caseId: string } | { deadlineIds: string[] }): Promise<AlertRow[]> {
  const q = db.selectFrom('alerts').selectAll().where('level', '!=', IMMEDIATE_LEVEL);
  const scoped = 'caseId' in of ? q.where('case_id', '=', of.caseId) : q.where('deadline_id', 'in', of.deadlineIds.length > 0 ? of.deadlineIds : ['00000000-0000-0000-0000-000000000000']);
  return scoped.orderBy('seq').execute();
}

/** The immediate `acute` alerts of a case, oldest first. */
export function immediateAlerts(db: Database, caseId: string): Promise<AlertRow[]> {
  return db.selectFrom('alerts').selectAll().where('case_id', '=', caseId).where('level', '=', IMMEDIATE_LEVEL).orderBy('seq').execute();
}

/** Of alerts as `GET /v1/alerts` lists them, those a term raised for one case (in the order given). */
export function termAlertItems<T extends { caseId: string; level: string }>(items: T[], caseId: string): T[] {
  return items.filter((a) => a.caseId === caseId && a.level !== IMMEDIATE_LEVEL);
}

/** The levels of alerts, in their order. */
export function levelsOf(rows: Array<{ level: string }>): string[] {
  return rows.map((a) => a.level);
}
