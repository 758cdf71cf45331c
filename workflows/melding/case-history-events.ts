import { z } from 'zod';
import { MELDING_EVENT_TYPES, type MeldingEventType } from './melding.events';

/**
 * The events a case's history holds that are not machine events: the registration and the record-keeping that the
 * services write on a case (an acknowledged alert, an adjusted deadline, a correction of the types of violence, a legal
 * hold, the destruction). Each goes
 * through the case ledger (src/cases/case-ledger.ts), like the machine events.
 */
export const RECORD_EVENT_TYPES = ['MELDING_REGISTERED', 'ALERT_ACKNOWLEDGED', 'DEADLINE_ADJUSTED', 'VIOLENCE_TYPES_CORRECTED', 'LEGAL_HOLD_PLACED', 'LEGAL_HOLD_LIFTED', 'DOSSIER_DESTROYED'] as const;
export type RecordEventType = (typeof RECORD_EVENT_TYPES)[number];

/** Every type a row of `case_events` can have. Closed: a new kind of history event gets a name here first. */
export type CaseHistoryEventType = MeldingEventType | RecordEventType;
export const CASE_HISTORY_EVENT_TYPES: readonly CaseHistoryEventType[] = [RECORD_EVENT_TYPES[0], ...MELDING_EVENT_TYPES, ...RECORD_EVENT_TYPES.slice(1)];

export const caseHistoryEventTypeSchema = z.enum(CASE_HISTORY_EVENT_TYPES as [CaseHistoryEventType, ...CaseHistoryEventType[]]);

export function isCaseHistoryEventType(type: string): type is CaseHistoryEventType {
  return (CASE_HISTORY_EVENT_TYPES as readonly string[]).includes(type);
}
