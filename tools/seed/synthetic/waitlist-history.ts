/**
 * The `waitlist_daily` history of synthetic cases, computed in memory: what the nightly snapshot job would have
 * written every day of the window had it run at 00:15 local time (its schedule), and for today what it writes when
 * run now. One pass over the cases with difference arrays per (day, gemeente, state), not a query per day.
 */
import { formatLocalDate, type DayNumber } from '../../../workflows/calendar/local-date';
import type { ZoneDays } from '../../../workflows/calendar/zone';
import { OPEN_STATES, type MeldingState } from '../../../workflows/melding';
import type { SyntheticTimeline } from './rows';

/** The nightly job's moment after local midnight (workers' job scheduler: '15 0 * * *'). */
const SNAPSHOT_OFFSET_MS = 15 * 60_000;

export interface WaitlistRow {
  day: string;
  gemeente: string;
  state: string;
  open_cases: number;
  overdue_cases: number;
  taken_at: string;
}

/** Counts that can cross a thread boundary and be merged. */
export interface WaitlistCounts {
  open: Int32Array;
  overdue: Int32Array;
  todayOpen: Int32Array;
  todayOverdue: Int32Array;
}

export class WaitlistHistory {
  /** Days before today that get a snapshot at 00:15; today's row is taken at `now`. */
  readonly pastDays: number;
  private readonly stateIndex = new Map<MeldingState, number>(OPEN_STATES.map((s, i) => [s, i]));
  private readonly gemeenteIndex: Map<string, number>;
  private readonly width: number;
  private readonly counts: WaitlistCounts;

  constructor(
    private readonly zone: ZoneDays,
    private readonly firstDay: DayNumber,
    private readonly nowMs: number,
    private readonly gemeenten: readonly string[],
  ) {
    this.pastDays = Math.max(0, zone.localDayOf(nowMs) - firstDay);
    this.gemeenteIndex = new Map(gemeenten.map((g, i) => [g, i]));
    this.width = gemeenten.length * OPEN_STATES.length;
    this.counts = {
      open: new Int32Array((this.pastDays + 1) * this.width),
      overdue: new Int32Array((this.pastDays + 1) * this.width),
      todayOpen: new Int32Array(this.width),
      todayOverdue: new Int32Array(this.width),
    };
  }

  private snapshotMoment(dayIndex: number): number {
    return this.zone.startOfDayMs(this.firstDay + dayIndex) + SNAPSHOT_OFFSET_MS;
  }

  /** The first past day whose snapshot moment is at or after the instant (pastDays when none is). */
  private dayIndexFrom(ms: number): number {
    if (ms === Infinity) return this.pastDays;
    const shifted = ms - SNAPSHOT_OFFSET_MS;
    const local = this.zone.localDayOf(shifted);
    const day = this.zone.startOfDayMs(local) >= shifted ? local : local + 1;
    return Math.min(Math.max(day - this.firstDay, 0), this.pastDays);
  }

  private mark(array: Int32Array, from: number, to: number, cell: number): void {
    const a = this.dayIndexFrom(from);
    const b = this.dayIndexFrom(to);
    if (a >= b) return;
    array[a * this.width + cell]! += 1;
    array[b * this.width + cell]! -= 1;
  }

  add(t: SyntheticTimeline): void {
    const g = this.gemeenteIndex.get(t.gemeente);
    if (g === undefined) throw new Error(`gemeente ${t.gemeente} is not in the region`);
    const overdue = mergeIntervals(t.overdue);
    for (let i = 0; i < t.state.length; i++) {
      const s = this.stateIndex.get(t.state[i]!);
      if (s === undefined) continue; // a final state: no longer on any list
      const from = t.at[i]!;
      const to = t.at[i + 1] ?? Infinity;
      const cell = g * OPEN_STATES.length + s;
      this.mark(this.counts.open, from, to, cell);
      for (const [a, b] of overdue) {
        const x = Math.max(a, from);
        const y = Math.min(b, to);
        if (x < y) this.mark(this.counts.overdue, x, y, cell);
      }
    }
    const last = this.stateIndex.get(t.state[t.state.length - 1]!);
    if (last !== undefined) {
      const cell = g * OPEN_STATES.length + last;
      this.counts.todayOpen[cell]! += 1;
      if (t.nextDueAt !== null && t.nextDueAt < this.nowMs) this.counts.todayOverdue[cell]! += 1;
    }
  }

  data(): WaitlistCounts {
    return this.counts;
  }

  merge(other: WaitlistCounts): void {
    const add = (into: Int32Array, from: Int32Array) => {
      if (into.length !== from.length) throw new Error('waitlist counts of a different window');
      for (let i = 0; i < into.length; i++) into[i]! += from[i]!;
    };
    add(this.counts.open, other.open);
    add(this.counts.overdue, other.overdue);
    add(this.counts.todayOpen, other.todayOpen);
    add(this.counts.todayOverdue, other.todayOverdue);
  }

  /** Rows as the snapshot job writes them: only (day, gemeente, state) with open cases. */
  rows(): WaitlistRow[] {
    const rows: WaitlistRow[] = [];
    const open = new Int32Array(this.width);
    const overdue = new Int32Array(this.width);
    const emit = (day: DayNumber, takenAt: number, o: Int32Array, od: Int32Array) => {
      const date = formatLocalDate(day);
      const taken = new Date(takenAt).toISOString();
      for (let cell = 0; cell < this.width; cell++) {
        if (o[cell]! <= 0) continue;
        const gemeente = this.gemeenten[Math.floor(cell / OPEN_STATES.length)]!;
        rows.push({ day: date, gemeente, state: OPEN_STATES[cell % OPEN_STATES.length]!, open_cases: o[cell]!, overdue_cases: od[cell]!, taken_at: taken });
      }
    };
    for (let d = 0; d < this.pastDays; d++) {
      for (let cell = 0; cell < this.width; cell++) {
        open[cell]! += this.counts.open[d * this.width + cell]!;
        overdue[cell]! += this.counts.overdue[d * this.width + cell]!;
      }
      emit(this.firstDay + d, this.snapshotMoment(d), open, overdue);
    }
    emit(this.firstDay + this.pastDays, this.nowMs, this.counts.todayOpen, this.counts.todayOverdue);
    return rows;
  }
}

function mergeIntervals(intervals: ReadonlyArray<readonly [number, number]>): Array<[number, number]> {
  if (intervals.length <= 1) return intervals.map(([a, b]) => [a, b]);
  const sorted = [...intervals].sort((x, y) => x[0] - y[0]);
  const out: Array<[number, number]> = [[sorted[0]![0], sorted[0]![1]]];
  for (let i = 1; i < sorted.length; i++) {
    const [a, b] = sorted[i]!;
    const last = out[out.length - 1]!;
    if (a <= last[1]) last[1] = Math.max(last[1], b);
    else out.push([a, b]);
  }
  return out;
}
