import { createAwtCalendar } from '../../workflows/calendar/awt-calendar';
import { createMeldingMachine, FINAL_STATES, meldingMachineGraph, MELDING_STATES, OPEN_STATES } from '../../workflows/melding';
import { timeLeft } from '../../src/cases/case.view';

describe('the melding machine as a graph (for the dashboard diagram)', () => {
  const graph = meldingMachineGraph(createMeldingMachine({ childSpokenFromAge: 6, fourEyes: true }));
  const edges = (from: string, event: string) => graph.transitions.filter((t) => t.from === from && t.event === event && !t.internal).map((t) => t.to);

  it('has every state of the machine, the final ones marked, and starts at the safety assessment', () => {
    expect(graph.states.map((s) => s.id).sort()).toEqual([...MELDING_STATES].sort());
    expect(graph.states.filter((s) => s.final).map((s) => s.id).sort()).toEqual([...FINAL_STATES].sort());
    expect(graph.initial).toBe('veiligheidsbeoordeling');
    expect(graph).toMatchObject({ machine: 'melding', version: 6 });
  });

  it('reads the routes of guarded events from the machine definition', () => {
    expect(edges('besluit_ter_goedkeuring', 'DECISION_APPROVED').sort()).toEqual(['afronding', 'doorverwezen', 'niet_ontvankelijk', 'overdracht', 'wacht_op_onderzoek']);
    expect(edges('wacht_op_onderzoek', 'ONDERZOEK_STARTED')).toEqual(['onderzoek']);
    expect(edges('besluit_ter_goedkeuring', 'DECISION_REJECTED')).toEqual(['veiligheidsbeoordeling']);
    expect(edges('overdracht', 'HANDOVER_CONFIRMED')).toEqual(['monitoring', 'afronding']);
    expect(graph.transitions.find((t) => t.from === 'overdracht' && t.to === 'monitoring')?.guard).toBe('monitoringFollows');
    expect(graph.transitions.find((t) => t.from === 'besluit_ter_goedkeuring' && t.to === 'wacht_op_onderzoek')?.guard).toBe('approvedTo:onderzoek');
    expect(edges('monitoring', 'MONITORING_CONTACT_HELD').sort()).toEqual(['veiligheidsbeoordeling', 'wacht_op_onderzoek']);
  });

  it('marks record-keeping events as internal in every open state, and final states have no way out', () => {
    for (const state of OPEN_STATES) {
      const internal = graph.transitions.filter((t) => t.from === state && t.internal);
      expect(internal.map((t) => t.event)).toEqual(expect.arrayContaining(['NOTE_ADDED', 'SAFETY_PLAN_RECORDED', 'MELDER_FEEDBACK_GIVEN']));
      expect(internal.every((t) => t.to === state)).toBe(true);
    }
    for (const state of FINAL_STATES) expect(graph.transitions.filter((t) => t.from === state)).toEqual([]);
    // Every state but the initial one is the target of some transition.
    for (const s of graph.states) if (s.id !== graph.initial) expect(graph.transitions.some((t) => !t.internal && t.to === s.id)).toBe(true);
  });
});

describe('time left to a term, in werkdagen on the Awt calendar', () => {
  const cal = createAwtCalendar();
  const at = (iso: string) => new Date(iso);

  it('counts the werkdagen after today up to the due day; 0 on the due day itself', () => {
    // Tuesday 24 Nov 2026, due at the end of the same day.
    expect(timeLeft(at('2026-11-24T23:59:59.999+01:00'), at('2026-11-24T09:00:00+01:00'), cal)).toEqual({ werkdagenLeft: 0, overdue: false });
    expect(timeLeft(at('2026-11-25T23:59:59.999+01:00'), at('2026-11-24T09:00:00+01:00'), cal)).toEqual({ werkdagenLeft: 1, overdue: false });
    // Friday to the end of Monday: the weekend does not count.
    expect(timeLeft(at('2026-11-30T23:59:59.999+01:00'), at('2026-11-27T16:00:00+01:00'), cal)).toEqual({ werkdagenLeft: 1, overdue: false });
    // Over Christmas: Thursday 24 Dec to the end of Monday 28 Dec is one werkdag (25 and 26 Dec are holidays).
    expect(timeLeft(at('2026-12-28T23:59:59.999+01:00'), at('2026-12-24T10:00:00+01:00'), cal)).toEqual({ werkdagenLeft: 1, overdue: false });
  });

  it('goes negative once past due, and says overdue even on the day it lapsed', () => {
    expect(timeLeft(at('2026-11-24T10:00:00+01:00'), at('2026-11-24T11:00:00+01:00'), cal)).toEqual({ werkdagenLeft: 0, overdue: true });
    expect(timeLeft(at('2026-11-20T23:59:59.999+01:00'), at('2026-11-24T11:00:00+01:00'), cal)).toEqual({ werkdagenLeft: -2, overdue: true });
  });
});
