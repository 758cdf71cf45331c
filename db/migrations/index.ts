import type { Migration } from 'kysely';
import * as initial from './20261122T1800_initial';
import * as alerts from './20261122T2000_alerts';
import * as waitlistDaily from './20261122T2100_waitlist_daily';
import * as metricsIndexes from './20261122T2200_metrics_indexes';
import * as reportingFacts from './20261123T0000_reporting_facts';
import * as auditTrail from './20261123T0100_audit_trail';
import * as shieldedMelder from './20261123T0110_shielded_melder';
import * as retention from './20261123T0200_retention';
import * as qualityFactsColumns from './20261123T0300_quality_facts_columns';
import * as onderzoekStart from './20261202T1300_onderzoek_start';
import * as municipalReporting from './20261202T1400_municipal_reporting';
import * as qualityScorecard from './20261202T1500_quality_scorecard';
import * as qualityPlan from './20261202T1510_quality_plan';
import * as idempotencyKeys from './20261202T1700_idempotency_keys';
import * as roundsAndPlan from './20261203T1300_rounds_and_plan';
import * as personDuties from './20261203T1500_person_duties';
import * as onderzoekOutcomes from './20261204T1400_onderzoek_outcomes';
import * as auditSealer from './20261204T1900_audit_sealer';

/**
 * Every migration, in order. Append-only: never edit or reorder a migration that has shipped; add a new file.
 * Listed statically (not read from disk) so tsx, Jest and a bundled build all see the same set.
 */
export const MIGRATIONS: Record<string, Migration> = {
  '20261122T1800_initial': initial,
  '20261122T2000_alerts': alerts,
  '20261122T2100_waitlist_daily': waitlistDaily,
  '20261122T2200_metrics_indexes': metricsIndexes,
  '20261123T0000_reporting_facts': reportingFacts,
  '20261123T0100_audit_trail': auditTrail,
  '20261123T0110_shielded_melder': shieldedMelder,
  '20261123T0200_retention': retention,
  '20261123T0300_quality_facts_columns': qualityFactsColumns,
  '20261202T1300_onderzoek_start': onderzoekStart,
  '20261202T1400_municipal_reporting': municipalReporting,
  '20261202T1500_quality_scorecard': qualityScorecard,
  '20261202T1510_quality_plan': qualityPlan,
  '20261202T1700_idempotency_keys': idempotencyKeys,
  '20261203T1300_rounds_and_plan': roundsAndPlan,
  '20261203T1500_person_duties': personDuties,
  '20261204T1400_onderzoek_outcomes': onderzoekOutcomes,
  '20261204T1900_audit_sealer': auditSealer,
};
