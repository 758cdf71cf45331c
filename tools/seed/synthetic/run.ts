import type { AwtCalendar } from '../../../workflows/calendar/awt-calendar';
import type { DayNumber } from '../../../workflows/calendar/local-date';
import type { ZoneDays } from '../../../workflows/calendar/zone';
import type { DeadlinePolicy, DeadlineSettings } from '../../../workflows/deadlines/deadline-policy';
import type { Actor, MeldingRuleSettings, MeldingWorkflow } from '../../../workflows/melding';
import type { VtRegion } from '../../../workflows/reference';
import type { Family } from './distributions';
import type { Rng } from './prng';

/** What the generator takes from the configuration: the same settings the case engine runs with. */
export interface SyntheticSettings {
  region: VtRegion;
  rules: MeldingRuleSettings;
  deadlines: DeadlineSettings;
  extraClosureDays: readonly string[];
}

export interface SyntheticStaff {
  teamId: string;
  medewerkers: Actor[];
  teamleiders: Actor[];
}

/**
 * What a case simulation reads of its run: SyntheticMeldingen (synthetic-meldingen.ts) implements it. Declared here
 * so that the simulation does not import the generator that constructs it (no import cycle).
 */
export interface SimulationRun {
  readonly settings: SyntheticSettings;
  readonly calendar: AwtCalendar;
  readonly workflow: MeldingWorkflow;
  readonly policy: DeadlinePolicy;
  readonly zone: ZoneDays;
  readonly nowMs: number;
  readonly verifyEvery: number;
  readonly teams: ReadonlyMap<string, SyntheticStaff>;
  receivedAt(index: number): number;
  familyRoot(index: number): number;
  family(root: number): Family;
  gemeenteName(code: string): string;
  dayOf(ms: number): DayNumber;
  werkdagAfter(day: DayNumber, n: number): DayNumber;
  officeTime(day: DayNumber, rng: Rng): number;
}
