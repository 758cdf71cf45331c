/** What the case page shows of an onderzoek's outcomes and of corrected types, read from the history: pure. */
import type { HistoryEntry } from './api';

export type OutcomeList = Array<{ type: string; outcome: string }>;

const isRecord = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === 'object' && !Array.isArray(v);
const strings = (v: unknown): string[] => (Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : []);

/** A conclusion's outcome per type of violence, in `order` (the closed list of types), from its payload. */
export function outcomesOf(payload: Record<string, unknown>, order: readonly string[]): OutcomeList {
  const outcomes = payload.outcomes;
  if (!isRecord(outcomes)) return [];
  const rank = (t: string) => (order.includes(t) ? order.indexOf(t) : order.length);
  return Object.entries(outcomes)
    .filter((e): e is [string, string] => typeof e[1] === 'string')
    .sort(([a], [b]) => rank(a) - rank(b))
    .map(([type, outcome]) => ({ type, outcome }));
}

/**
 * The outcomes of the onderzoek as concluded: those of the last proposal before the last approved conclusion.
 * Null when no conclusion has been approved; empty when it was approved without outcomes (before machine v6).
 */
export function approvedOutcomes(history: readonly HistoryEntry[], order: readonly string[]): OutcomeList | null {
  const approved = history.map((e) => e.type).lastIndexOf('ONDERZOEK_CONCLUSION_APPROVED');
  if (approved < 0) return null;
  const proposal = history.slice(0, approved).reverse().find((e) => e.type === 'ONDERZOEK_CONCLUSION_PROPOSED');
  return proposal ? outcomesOf(proposal.payload, order) : [];
}

/** A correction's types before and after, and its reason. */
export function correctionOf(payload: Record<string, unknown>): { from: string[]; to: string[]; reason: string } {
  return { from: strings(payload.from), to: strings(payload.to), reason: typeof payload.reason === 'string' ? payload.reason : '' };
}

/** "Kindermishandeling: vermoeden bevestigd; …". */
export function outcomeText(list: OutcomeList, typeLabel: (type: string) => string, outcomeLabels: Readonly<Record<string, string>>): string {
  return list.map((o) => `${typeLabel(o.type)}: ${outcomeLabels[o.outcome] ?? o.outcome}`).join('; ');
}
