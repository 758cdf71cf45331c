import type { ViolenceType } from '../reference';
import type { OnderzoekOutcomes } from './melding.types';

/** A field of the request and the rule it breaks (the API's 422 `issues`). */
export interface OutcomeIssue {
  field: string;
  rule: string;
}

/**
 * The conclusion of an onderzoek records exactly one outcome for every type of violence registered on the melding (as
 * corrected) and none for another type. Returns what is wrong, each naming `outcomes.<type>`; empty when it fits.
 */
export function onderzoekOutcomeIssues(registered: readonly string[], outcomes: OnderzoekOutcomes): OutcomeIssue[] {
  const issues: OutcomeIssue[] = [];
  for (const type of registered) {
    if (outcomes[type as ViolenceType] === undefined) issues.push({ field: `outcomes.${type}`, rule: `every registered type of violence needs one outcome; ${type} has none` });
  }
  for (const type of Object.keys(outcomes)) {
    if (!registered.includes(type)) issues.push({ field: `outcomes.${type}`, rule: `${type} is not a type of violence registered on this melding (registered: ${registered.join(', ')})` });
  }
  return issues;
}
