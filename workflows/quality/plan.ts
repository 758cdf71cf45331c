/**
 * The improvement plan (verbeteracties) and the certification track (mijlpalen): statuses, which changes are allowed,
 * and when an item counts as late. Pure: dates arrive as local dates (YYYY-MM-DD), today included.
 */

export const PLAN_STATUSES = ['gepland', 'in_uitvoering', 'gereed', 'vervallen'] as const;
export type PlanStatus = (typeof PLAN_STATUSES)[number];

export const PLAN_ITEM_KINDS = ['verbeteractie', 'mijlpaal'] as const;
export type PlanItemKind = (typeof PLAN_ITEM_KINDS)[number];

/** The milestones of a certification track (HKZ, ISO 9001), in their order. */
export const MILESTONES = ['gap_analyse', 'interne_audit', 'directiebeoordeling', 'certificatie_audit', 'certificaat_behaald'] as const;
export type Milestone = (typeof MILESTONES)[number];

export const MILESTONE_LABELS: Record<Milestone, string> = {
  gap_analyse: 'Nulmeting (gap-analyse)',
  interne_audit: 'Interne audits',
  directiebeoordeling: 'Directiebeoordeling',
  certificatie_audit: 'Certificatie-audit',
  certificaat_behaald: 'Certificaat behaald',
};

export const CERTIFICATION_SCHEMES = ['HKZ', 'ISO 9001'] as const;

/** Finished items (gereed, vervallen) stay finished: a new need is a new item, so the history stays readable. */
const NEXT: Record<PlanStatus, readonly PlanStatus[]> = {
  gepland: ['in_uitvoering', 'gereed', 'vervallen'],
  in_uitvoering: ['gepland', 'gereed', 'vervallen'],
  gereed: [],
  vervallen: [],
};

export function statusChangeAllowed(from: PlanStatus, to: PlanStatus): boolean {
  return NEXT[from].includes(to);
}

export const isFinished = (s: PlanStatus) => s === 'gereed' || s === 'vervallen';

/**
 * Late: open past its due date, or finished (gereed) after it. A cancelled item (vervallen) is never late.
 * The due date is the last day it may be done on.
 */
export function isLate(item: { status: PlanStatus; dueOn: string; doneOn: string | null }, today: string): boolean {
  if (item.status === 'vervallen') return false;
  if (item.status === 'gereed') return item.doneOn !== null && item.doneOn > item.dueOn;
  return today > item.dueOn;
}
