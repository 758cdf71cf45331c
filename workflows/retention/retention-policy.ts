import { z } from 'zod';
import { DECISION_CODES, MELDER_SECTORS, PERSON_ROLES, SAFETY_OUTCOMES, VIOLENCE_TYPES, VULNERABILITIES } from '../reference';
import type { CasePerson } from '../melding/melding.types';
import { isCaseHistoryEventType } from '../melding/case-history-events';

/**
 * Retention of a dossier (docs/domain.md "Privacy and retention"; Wmo 2015 practice): kept for `years` after closure,
 * and never destroyed before the youngest child on the case is `minAgeOfYoungestChild`. Both are settings.
 */
export interface RetentionSettings {
  years: number;
  minAgeOfYoungestChild: number;
}

export const DEFAULT_RETENTION_SETTINGS: RetentionSettings = { years: 20, minAgeOfYoungestChild: 18 };

/** Which rule set the destruction date: the term after closure, or the youngest child's coming of age. */
export type RetentionRule = 'closure_term' | 'youngest_child';

export interface DestructionDate {
  /** 'YYYY-MM-DD' (Europe/Amsterdam): the first day on which the dossier may be destroyed. */
  destroyOn: string;
  rule: RetentionRule;
}

const localDate = /^(\d{4})-(\d{2})-(\d{2})$/;

/**
 * `date` plus whole years. 29 February in a year without one becomes 1 March: for a "not before" term the later
 * day is the safe one (a child born on 29 February 2008 is taken to turn 18 on 1 March 2026).
 */
export function addYears(date: string, years: number): string {
  const m = localDate.exec(date);
  if (!m) throw new Error(`not a local date: ${date}`);
  const year = Number(m[1]) + years;
  const [month, day] = [m[2]!, m[3]!];
  const leap = (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
  if (month === '02' && day === '29' && !leap) return `${String(year).padStart(4, '0')}-03-01`;
  return `${String(year).padStart(4, '0')}-${month}-${day}`;
}

/**
 * The destruction date of a dossier closed on `closedOn` (its local date). A child whose birth date is unknown is
 * taken to be born on the day of closure at the latest, the one bound the dossier gives, so the rule still holds.
 */
export function destructionDate(closedOn: string, persons: ReadonlyArray<Pick<CasePerson, 'role' | 'birthDate'>>, settings: RetentionSettings): DestructionDate {
  const byTerm = addYears(closedOn, settings.years);
  const children = persons.filter((p) => p.role === 'kind');
  if (children.length === 0) return { destroyOn: byTerm, rule: 'closure_term' };
  const youngestBorn = children.map((c) => (c.birthDate !== null && c.birthDate <= closedOn ? c.birthDate : closedOn)).reduce((a, b) => (a > b ? a : b));
  const byChild = addYears(youngestBorn, settings.minAgeOfYoungestChild);
  return byChild > byTerm ? { destroyOn: byChild, rule: 'youngest_child' } : { destroyOn: byTerm, rule: 'closure_term' };
}

/** A dossier may be destroyed on `today` when its date has come and no legal hold stands. */
export function isDue(destroyOn: string | null, today: string, legalHold: boolean): boolean {
  return destroyOn !== null && destroyOn <= today && !legalHold;
}

const uuid = z.uuid();
const isoDate = z.iso.date();
const isoDateTime = z.iso.datetime({ offset: true });
/** Closed vocabularies whose values carry no personal data: codes, categories, the machine's enum answers. */
const CODE_VALUES: ReadonlySet<string> = new Set<string>([
  ...DECISION_CODES,
  ...MELDER_SECTORS,
  ...PERSON_ROLES,
  ...SAFETY_OUTCOMES,
  ...VIOLENCE_TYPES,
  ...VULNERABILITIES,
  'overdracht', 'voorwaarden_en_vervolg', 'raad_voor_de_kinderbescherming', 'afsluiten',
  'doorgaan', 'herbeoordeling', 'onderzoek',
  'na_beoordeling', 'na_onderzoek',
  'opschorting', 'verlenging',
]);
const GEMEENTE_CODE = /^GM\d{4}$/;

function isCodeLike(value: string): boolean {
  return CODE_VALUES.has(value) || GEMEENTE_CODE.test(value) || uuid.safeParse(value).success || isoDate.safeParse(value).success || isoDateTime.safeParse(value).success;
}

/**
 * What a history payload keeps when its dossier is destroyed: booleans, numbers, ids, dates and closed-vocabulary
 * codes (what the figures and the quality report read); every other string (notes, rationales, names, reasons,
 * contacts) is removed. A whitelist, so event types added later are redacted by default.
 */
export function redactPayload(payload: Record<string, unknown>): { payload: Record<string, unknown>; removed: number } {
  let removed = 0;
  const keep = (value: unknown): { ok: boolean; value?: unknown } => {
    if (value === null || typeof value === 'boolean' || (typeof value === 'number' && Number.isFinite(value))) return { ok: true, value };
    if (typeof value === 'string') return isCodeLike(value) ? { ok: true, value } : { ok: false };
    if (Array.isArray(value)) {
      const items = value.map(keep);
      removed += items.filter((i) => !i.ok).length;
      return { ok: true, value: items.filter((i) => i.ok).map((i) => i.value) };
    }
    if (typeof value === 'object') return { ok: true, value: walk(value as Record<string, unknown>) };
    return { ok: false };
  };
  const walk = (o: Record<string, unknown>): Record<string, unknown> => {
    const out: Record<string, unknown> = {};
    for (const [key, value] of Object.entries(o)) {
      const k = keep(value);
      if (k.ok) out[key] = k.value;
      else removed += 1;
    }
    return out;
  };
  return { payload: walk(payload), removed };
}

/**
 * `redactPayload` for a history row of a known type (the closed list in workflows/melding/case-history-events.ts);
 * a row of any other type keeps nothing of its payload.
 */
export function redactEventPayload(type: string, payload: Record<string, unknown>): { payload: Record<string, unknown>; removed: number } {
  if (!isCaseHistoryEventType(type)) return { payload: {}, removed: Object.keys(payload).length };
  return redactPayload(payload);
}

/** The persons of a destroyed dossier's machine snapshot: role and vulnerability kept, birth dates at month grain. */
export function anonymisedPersons(persons: readonly CasePerson[]): CasePerson[] {
  return persons.map((p) => ({ id: p.id, role: p.role, vulnerable: p.vulnerable, birthDate: p.birthDate === null ? null : `${p.birthDate.slice(0, 7)}-01` }));
}
