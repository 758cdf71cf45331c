import type { AwtCalendar } from '../calendar/awt-calendar';
import type { MeldingEvent } from '../melding/melding.events';
import type { PersistedMelding } from '../melding/melding.workflow';
import { isFinalState } from '../melding/melding.workflow';

export const DEADLINE_KINDS = [
  'acuut',
  'veiligheidsbeoordeling',
  'onderzoek_start',
  'onderzoek',
  'terugkoppeling',
  'overdrachtsbevestiging',
  'monitoringscontact',
] as const;
export type DeadlineKind = (typeof DEADLINE_KINDS)[number];

/** Terms from docs/domain.md ("Lifecycle", "Deadlines and alerts"); every one is a setting. */
export interface DeadlineSettings {
  /** No public norm: action must start this many minutes after receipt of an acute melding. */
  acuteMinutes: number;
  /** Statutory: the safety assessment is decided within 5 werkdagen after receipt. */
  assessmentWerkdagen: number;
  /**
   * Uitvoeringsbesluit Wmo 2015 art. 4.1.7 lid 1: once it is established that an onderzoek must take place, it
   * starts within five days of receipt (calendar days, the end moved to the next werkdag by the Awt).
   */
  onderzoekStartDays: number;
  /**
   * `receipt` (the law's reading, default): the end of the n-th day after the day of receipt, Awt-extended.
   * `decision`: n werkdagen after the decision to investigate (for a VT that counts the start from its decision).
   */
  onderzoekStartAnchor: 'receipt' | 'decision';
  /** LNVT norm: an onderzoek is finished within 10 weeks. */
  onderzoekWeeks: number;
  /** Sources disagree on when the 10 weeks start. */
  onderzoekAnchor: 'decision' | 'assessment_term';
  feedbackWerkdagen: number;
  handoverConfirmationWerkdagen: number;
  /** The warning comes at the start of the werkdag this many werkdagen before the end. */
  warningWerkdagen: number;
}

export const DEFAULT_DEADLINE_SETTINGS: DeadlineSettings = {
  acuteMinutes: 240,
  assessmentWerkdagen: 5,
  onderzoekStartDays: 5,
  onderzoekStartAnchor: 'receipt',
  onderzoekWeeks: 10,
  onderzoekAnchor: 'decision',
  feedbackWerkdagen: 5,
  handoverConfirmationWerkdagen: 5,
  warningWerkdagen: 1,
};

export interface PlannedDeadline {
  kind: DeadlineKind;
  /** Identifies the deadline within its case, e.g. 'beoordeling-2' for the second assessment. */
  key: string;
  /** The rule it comes from, in words a teamleider recognises. */
  rule: string;
  dueAt: Date;
  warnAt: Date;
  /** For an onderzoek: ten weeks from receipt (the inspection's measure, seed 000), reported beside the statutory term. */
  inspectionDueAt?: Date;
}

export interface DeadlineRef {
  kind: DeadlineKind;
  key: string;
}

export interface DeadlineChanges {
  open: PlannedDeadline[];
  meet: DeadlineRef[];
  /** The case reached a final state: every deadline still open is cancelled. */
  cancelAllOpen: boolean;
}

const MINUTE = 60_000;

/** The first acute term keeps the key it always had. */
const acuteKey = (n: number) => (n <= 1 ? 'acuut' : `acuut-${n}`);

/** Computes due and warning moments on the Awt calendar. */
export class DeadlinePolicy {
  constructor(
    private readonly calendar: AwtCalendar,
    private readonly settings: DeadlineSettings,
  ) {}

  /** Deadlines that a newly registered melding opens. */
  onRegistration(melding: PersistedMelding): PlannedDeadline[] {
    const ctx = melding.context;
    const receivedAt = new Date(ctx.receivedAt);
    const out = [this.assessment(receivedAt, ctx.assessmentCount)];
    if (ctx.acuteDanger) out.unshift(this.acute(receivedAt, 1, 'receipt'));
    return out;
  }

  /** The acute term: action started within the setting's minutes of the moment acute unsafety was judged or established. */
  private acute(from: Date, n: number, what: string): PlannedDeadline {
    const dueAt = new Date(from.getTime() + this.settings.acuteMinutes * MINUTE);
    // An hour-scale term gets its warning at three quarters of the term, not a werkdag before.
    const warnAt = new Date(from.getTime() + Math.round(this.settings.acuteMinutes * 0.75 * MINUTE));
    return { kind: 'acuut', key: acuteKey(n), rule: `acute danger: action within ${this.settings.acuteMinutes} minutes of ${what}`, dueAt, warnAt };
  }

  /** What one accepted event changes: deadlines it opens, meets, or (on reaching a final state) cancels. */
  onTransition(before: PersistedMelding, after: PersistedMelding, event: MeldingEvent): DeadlineChanges {
    const b = before.context;
    const a = after.context;
    const at = new Date(event.at);
    const open: PlannedDeadline[] = [];
    const meet: DeadlineRef[] = [];

    switch (event.type) {
      case 'ACUTE_ACTION_STARTED':
        meet.push({ kind: 'acuut', key: acuteKey(a.acuteCount) });
        break;
      case 'DECISION_APPROVED':
        meet.push({ kind: 'veiligheidsbeoordeling', key: `beoordeling-${b.assessmentCount}` });
        if (a.melderReachable) open.push(this.feedback(at, `na_beoordeling-${a.assessmentCount}`, 'feedback to the melder after the safety assessment'));
        break;
      case 'ONDERZOEK_STARTED':
        meet.push({ kind: 'onderzoek_start', key: `onderzoek_start-${a.onderzoekCount}` });
        break;
      case 'ONDERZOEK_CONCLUSION_APPROVED':
        meet.push({ kind: 'onderzoek', key: `onderzoek-${b.onderzoekCount}` });
        if (a.melderReachable) open.push(this.feedback(at, `na_onderzoek-${a.onderzoekCount}`, 'feedback to the melder after the onderzoek'));
        break;
      case 'MELDER_FEEDBACK_GIVEN':
        meet.push(
          event.moment === 'na_beoordeling'
            ? { kind: 'terugkoppeling', key: `na_beoordeling-${a.assessmentCount}` }
            : { kind: 'terugkoppeling', key: `na_onderzoek-${a.onderzoekCount}` },
        );
        break;
      case 'HANDOVER_CONFIRMED':
        if (b.handover) meet.push({ kind: 'overdrachtsbevestiging', key: `overdracht-${b.handover.at}` });
        break;
      case 'MONITORING_CONTACT_PLANNED': {
        const dueAt = this.calendar.endOfLocalDay(event.plannedFor);
        open.push({ kind: 'monitoringscontact', key: event.eventId, rule: `monitoring contact planned for ${event.plannedFor}`, dueAt, warnAt: this.warnAt(dueAt) });
        break;
      }
      case 'MONITORING_CONTACT_HELD':
        meet.push({ kind: 'monitoringscontact', key: event.contactId });
        break;
      default:
        break;
    }

    if (a.acuteCount > b.acuteCount) open.push(this.acute(at, a.acuteCount, 'being established'));
    if (a.assessmentCount > b.assessmentCount) open.push(this.assessment(at, a.assessmentCount));
    if (a.onderzoekCount > b.onderzoekCount) {
      const receivedAt = event.type === 'DECISION_APPROVED' ? new Date(a.assessmentStartedAt) : null;
      open.push(this.onderzoekStart(at, receivedAt, a.onderzoekCount), this.onderzoek(at, receivedAt, a, a.onderzoekCount));
    }
    if (a.handover && a.handover !== b.handover && a.handover.confirmedAt === null) {
      const dueAt = this.calendar.endOfWerkdagenAfter(at, this.settings.handoverConfirmationWerkdagen);
      open.push({
        kind: 'overdrachtsbevestiging',
        key: `overdracht-${a.handover.at}`,
        rule: `the receiving party confirms the handover within ${this.settings.handoverConfirmationWerkdagen} werkdagen`,
        dueAt,
        warnAt: this.warnAt(dueAt),
      });
    }
    return { open, meet, cancelAllOpen: isFinalState(after.state) };
  }

  private assessment(from: Date, n: number): PlannedDeadline {
    const dueAt = this.calendar.endOfWerkdagenAfter(from, this.settings.assessmentWerkdagen);
    return {
      kind: 'veiligheidsbeoordeling',
      key: `beoordeling-${n}`,
      rule: `Wmo 2015: safety assessment decided within ${this.settings.assessmentWerkdagen} werkdagen after receipt`,
      dueAt,
      warnAt: this.warnAt(dueAt),
    };
  }

  /**
   * Art. 4.1.7 lid 1. An onderzoek decided at a safety assessment counts its five days from the receipt of what was
   * assessed (the melding, or the start of a herbeoordeling); a decision made after that end opens the term already
   * past it (the workers breach it at once). One decided at a monitoring contact has no receipt of its own and counts
   * from that decision.
   */
  private onderzoekStart(decidedAt: Date, receivedAt: Date | null, n: number): PlannedDeadline {
    const days = this.settings.onderzoekStartDays;
    if (this.settings.onderzoekStartAnchor === 'decision') {
      const dueAt = this.calendar.endOfWerkdagenAfter(decidedAt, days);
      return { kind: 'onderzoek_start', key: `onderzoek_start-${n}`, rule: `onderzoek started within ${days} werkdagen after the decision to investigate (setting)`, dueAt, warnAt: this.warnAt(dueAt) };
    }
    const dueAt = this.calendar.endOfCalendarDaysAwt(receivedAt ?? decidedAt, days);
    const from = receivedAt ? 'receipt' : 'the decision to investigate';
    return {
      kind: 'onderzoek_start',
      key: `onderzoek_start-${n}`,
      rule: `Uitvoeringsbesluit Wmo 2015 art. 4.1.7 lid 1: onderzoek started within ${days} days of ${from} (Awt art. 1 extension)`,
      dueAt,
      warnAt: this.warnAt(dueAt),
    };
  }

  private onderzoek(decidedAt: Date, receivedAt: Date | null, ctx: PersistedMelding['context'], n: number): PlannedDeadline {
    // A second onderzoek (after monitoring) always starts from its own decision.
    const anchor =
      this.settings.onderzoekAnchor === 'assessment_term' && n === 1
        ? this.calendar.endOfWerkdagenAfter(new Date(ctx.receivedAt), this.settings.assessmentWerkdagen)
        : decidedAt;
    const dueAt = this.calendar.endOfCalendarDaysAwt(anchor, this.settings.onderzoekWeeks * 7);
    return {
      kind: 'onderzoek',
      key: `onderzoek-${n}`,
      rule: `LNVT: onderzoek finished within ${this.settings.onderzoekWeeks} weeks (Awt art. 1 extension)`,
      dueAt,
      warnAt: this.warnAt(dueAt),
      // The inspection counts from the receipt of what was assessed; an onderzoek decided at a monitoring contact has none.
      inspectionDueAt: receivedAt ? this.calendar.endOfCalendarDaysAwt(receivedAt, this.settings.onderzoekWeeks * 7) : dueAt,
    };
  }

  private feedback(from: Date, key: string, what: string): PlannedDeadline {
    const dueAt = this.calendar.endOfWerkdagenAfter(from, this.settings.feedbackWerkdagen);
    return { kind: 'terugkoppeling', key, rule: `${what} within ${this.settings.feedbackWerkdagen} werkdagen`, dueAt, warnAt: this.warnAt(dueAt) };
  }

  private warnAt(dueAt: Date): Date {
    return this.calendar.warningMoment(dueAt, this.settings.warningWerkdagen);
  }
}
