/**
 * Synthetic meldingen for development and benchmarks: complete case histories made by driving the real pure
 * melding machine and the real deadline policy, so every snapshot, state, history row and deadline is what the
 * case engine would have written had staff sent those events through the API at those moments.
 *
 * Deterministic: case number i of a run depends only on (seed, number of cases, now, settings), never on batch
 * size, worker threads or generation order. No real person's data: names are made of built-in syllables, contact
 * addresses use the reserved `.example` domain, and BSNs are numbers from the PRNG that pass the 11-proef.
 */
import { deadlineSettingsOf, ruleSettingsOf, type Config } from '../../src/config/config';
import { createAwtCalendar, type AwtCalendar } from '../../workflows/calendar/awt-calendar';
import { formatLocalDate, isWeekend, parseLocalDate, type DayNumber } from '../../workflows/calendar/local-date';
import { zoneDays, type ZoneDays } from '../../workflows/calendar/zone';
import { DeadlinePolicy } from '../../workflows/deadlines/deadline-policy';
import { MeldingWorkflow, type Actor } from '../../workflows/melding';
import type { Vulnerability } from '../../workflows/reference';
import { chance, hash32, intBetween, pick, seedFromString, streamOf, Weighted, type Rng } from './synthetic/prng';
import * as words from './synthetic/vocabulary';
import { WaitlistHistory } from './synthetic/waitlist-history';
import { CaseSimulation } from './synthetic/case-simulation';
import { ADULT_VULNERABILITIES, DAY, DEFAULT_POPULATION, HOUSEHOLDS, MINUTE, POPULATION, type Family, type Member } from './synthetic/distributions';
import type { SyntheticCase } from './synthetic/rows';
import type { SimulationRun, SyntheticSettings, SyntheticStaff } from './synthetic/run';

export * from './synthetic/rows';
export type { SyntheticSettings, SyntheticStaff } from './synthetic/run';

export interface SyntheticRun {
  seed: string;
  /** Number of cases in the run: receipt moments are spread over the window by case number. */
  count: number;
  /** The clock's now: the end of the window; no event lies after it. */
  now: Date;
  /** Length of the window in years; default 3. */
  years?: number;
}

/** The machine, policy and calendar settings from the same config as `createServices` (src/services.ts). */
export function syntheticSettings(cfg: Config): SyntheticSettings {
  return {
    region: cfg.region,
    rules: ruleSettingsOf(cfg),
    deadlines: deadlineSettingsOf(cfg),
    extraClosureDays: [...cfg.EXTRA_CLOSURE_DAYS],
  };
}

/** Generates case number i of a run; cheap to construct, safe to use from several worker threads (one each). */
export class SyntheticMeldingen implements SimulationRun {
  readonly calendar: AwtCalendar;
  readonly workflow: MeldingWorkflow;
  readonly policy: DeadlinePolicy;
  readonly zone: ZoneDays;
  readonly nowMs: number;
  readonly startMs: number;
  readonly teams: ReadonlyMap<string, SyntheticStaff>;
  private readonly seed: number;
  private readonly gemeenten: Weighted<string>;
  private readonly gemeenteNames: ReadonlyMap<string, string>;
  private readonly bsnMul: [number, number];
  private readonly bsnAdd: number;

  /**
   * @param verifyEvery every n-th case also takes each record-keeping step through the full machine and checks the
   *   result is identical (1: every case; 0: none).
   */
  constructor(
    readonly settings: SyntheticSettings,
    readonly run: SyntheticRun,
    readonly verifyEvery = 100,
  ) {
    if (!Number.isSafeInteger(run.count) || run.count < 1) throw new RangeError('count must be a positive integer');
    if (run.count > 12_000_000) throw new RangeError('count must be at most 12,000,000 (the synthetic BSN space)');
    this.calendar = createAwtCalendar({ extraClosureDays: settings.extraClosureDays });
    this.workflow = new MeldingWorkflow(settings.rules);
    this.policy = new DeadlinePolicy(this.calendar, settings.deadlines);
    this.zone = zoneDays(this.calendar.timeZone);
    this.seed = seedFromString(run.seed);
    this.nowMs = run.now.getTime();
    this.startMs = this.nowMs - Math.round((run.years ?? 3) * 365.25 * DAY);
    this.gemeenten = new Weighted(settings.region.gemeenten.map((g) => [g.code, POPULATION[g.code] ?? DEFAULT_POPULATION] as const));
    this.gemeenteNames = new Map(settings.region.gemeenten.map((g) => [g.code, g.name]));
    this.teams = new Map(settings.region.gemeenten.map((g) => [g.code, staffOf(g.code)]));
    // An affine bijection on 8-digit numbers spreads the family serials over the BSN space without repeats.
    const mul = (hash32(this.seed, 0xb5) % 100_000_000) | 1;
    const safeMul = mul % 5 === 0 ? mul + 2 : mul;
    this.bsnMul = [Math.floor(safeMul / 10_000), safeMul % 10_000];
    this.bsnAdd = hash32(this.seed, 0xb6) % 100_000_000;
  }

  private stream(index: number, purpose: number): Rng {
    return streamOf(this.seed, index, purpose);
  }

  /**
   * When case i was received: stratified over the window so case numbers run in order of receipt (recent months a
   * bit heavier), at a realistic time of day (mostly office hours, fewer at weekends).
   */
  receivedAt(index: number): number {
    const rng = this.stream(index, 1);
    const p = (index + rng()) / this.run.count;
    const a = 0.6; // density 1 + a·x over the window: the last months carry 60 % more than the first
    const x = (-1 + Math.sqrt(1 + 2 * a * p * (1 + a / 2))) / a;
    let day = this.zone.localDayOf(this.startMs + x * (this.nowMs - this.startMs));
    if (isWeekend(day) && chance(rng, 0.5)) day += chance(rng, 0.5) ? 1 : -1;
    const minuteOfDay = chance(rng, 0.72) ? 8 * 60 + rng() * 9.5 * 60 : rng() * 24 * 60;
    const ms = this.zone.startOfDayMs(day) + Math.floor(minuteOfDay * MINUTE);
    return Math.min(Math.max(ms, this.startMs), this.nowMs - MINUTE);
  }

  /** The case whose family case i reports again, or i itself for a first report. */
  familyRoot(index: number): number {
    let i = index;
    for (;;) {
      const rng = this.stream(i, 2);
      if (i === 0 || !chance(rng, 0.3)) return i;
      const span = Math.max(1, Math.min(i, Math.ceil(this.run.count / 3)));
      i = i - 1 - Math.floor(rng() * span);
    }
  }

  family(root: number): Family {
    const rng = this.stream(root, 3);
    const receivedDay = this.zone.localDayOf(this.receivedAt(root));
    const gemeente = this.gemeenten.pick(rng);
    const household = HOUSEHOLDS.pick(rng);
    const familyName = words.surname(rng);
    const members: Member[] = [];
    let serial = root * 8;
    const add = (kind: Member['kind'], minAge: number, maxAge: number, ownSurname: boolean) => {
      const ageDays = Math.floor((minAge + rng() * (maxAge - minAge)) * 365.25) + 20;
      const vulnerabilities: Vulnerability[] = [];
      if (kind === 'elder') {
        if (chance(rng, 0.75)) vulnerabilities.push('oudere');
        if (chance(rng, 0.2)) vulnerabilities.push('lichamelijke_beperking');
      } else if (chance(rng, kind === 'adult' ? 0.06 : 0.03)) {
        vulnerabilities.push(kind === 'adult' ? pick(rng, ADULT_VULNERABILITIES) : 'verstandelijke_beperking');
      }
      members.push({
        kind,
        name: `${words.firstName(rng)} ${ownSurname ? words.surname(rng) : familyName}`,
        birthDate: formatLocalDate(receivedDay - ageDays),
        bsn: chance(rng, 0.55) ? this.bsn(serial) : null,
        vulnerabilities,
      });
      serial++;
    };
    const children = (n: number) => {
      for (let c = 0; c < n; c++) add('child', 0, 17.5, false);
    };
    switch (household) {
      case 'gezin':
        add('adult', 25, 50, false);
        add('adult', 25, 50, chance(rng, 0.5));
        children(intBetween(rng, 1, 3));
        break;
      case 'eenouder':
        add('adult', 22, 50, false);
        children(intBetween(rng, 1, 3));
        break;
      case 'stel':
        add('adult', 20, 70, false);
        add('adult', 20, 70, true);
        break;
      case 'ex':
        add('adult', 22, 55, false);
        add('adult', 22, 55, true);
        children(intBetween(rng, 0, 2));
        break;
      case 'oudere':
        add('elder', 72, 95, false);
        add('adult', 40, 65, chance(rng, 0.3));
        break;
      case 'alleen':
        add('adult', 18, 80, false);
        break;
    }
    return { gemeente, household, members };
  }

  /** A synthetic BSN: 8 digits from the family serial, then the check digit the 11-proef asks; none when no digit fits. */
  private bsn(serial: number): string | null {
    const [hi, lo] = this.bsnMul;
    const x = (((hi * serial) % 10_000) * 10_000 + lo * serial + this.bsnAdd) % 100_000_000;
    const digits = String(x).padStart(8, '0');
    let sum = 0;
    for (let k = 0; k < 8; k++) sum += (digits.charCodeAt(k) - 48) * (9 - k);
    const check = sum % 11;
    if (check === 10 || sum === 0) return null;
    return digits + String(check);
  }

  generate(index: number): SyntheticCase {
    return new CaseSimulation(this, index, this.stream(index, 0)).run();
  }

  /** An empty waiting-list history over this run's window, in the region's gemeente order. */
  waitlistHistory(): WaitlistHistory {
    return new WaitlistHistory(this.zone, this.zone.localDayOf(this.startMs), this.nowMs, this.settings.region.gemeenten.map((g) => g.code));
  }

  /** The synthetic teams (one per gemeente) that own the cases. */
  teamRows(): Array<{ id: string; name: string }> {
    return this.settings.region.gemeenten.map((g) => ({ id: this.teams.get(g.code)!.teamId, name: `Synthetisch team ${g.name}` }));
  }

  gemeenteName(code: string): string {
    return this.gemeenteNames.get(code) ?? code;
  }

  // Time helpers: local days of the calendar's zone, office hours.
  dayOf(ms: number): DayNumber {
    return this.zone.localDayOf(ms);
  }

  /** The werkdag n werkdagen after the day (n = 0: the day itself if a werkdag, else the next one). */
  werkdagAfter(day: DayNumber, n: number): DayNumber {
    const date = formatLocalDate(day);
    if (n === 0) return this.calendar.isWerkdag(date) ? day : parseLocalDate(this.calendar.addWerkdagen(date, 1));
    return parseLocalDate(this.calendar.addWerkdagen(date, n));
  }

  /** A moment between 08:30 and 16:30 on that local day. */
  officeTime(day: DayNumber, rng: Rng): number {
    return this.zone.startOfDayMs(day) + Math.floor((8.5 * 60 + rng() * 8 * 60) * MINUTE);
  }
}

function staffOf(gemeente: string): SyntheticStaff {
  const code = gemeente.toLowerCase();
  const medewerkers = Array.from({ length: 6 }, (_, k): Actor => ({ id: `synth-${code}-mw${k + 1}`, role: 'medewerker' }));
  const teamleiders = Array.from({ length: 2 }, (_, k): Actor => ({ id: `synth-${code}-tl${k + 1}`, role: 'teamleider' }));
  return { teamId: `team-${code}`, medewerkers, teamleiders };
}

