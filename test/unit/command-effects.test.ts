import { createAwtCalendar } from '../../workflows/calendar/awt-calendar';
import { DEFAULT_DEADLINE_SETTINGS, DeadlinePolicy } from '../../workflows/deadlines/deadline-policy';
import { commandEffects, registrationEffects } from '../../workflows/effects/command-effects';
import type { MeldingEvent, PersistedMelding } from '../../workflows/melding';
import { DEFAULT_RETENTION_SETTINGS } from '../../workflows/retention/retention-policy';
import { baseInput, DEFAULT_SETTINGS, drive, E, nextOf, prepared, workflow } from './melding.fixtures';

/** What a command does to a case besides its snapshot: the one function the engine and the seed's simulator share. */
const wf = workflow();
const calendar = createAwtCalendar();
const policy = new DeadlinePolicy(calendar, DEFAULT_DEADLINE_SETTINGS);
const at = (iso: string) => ({ at: iso });

function effects(before: PersistedMelding, event: MeldingEvent, assessed = false, historyPayload: Record<string, unknown> = { from: 'test' }) {
  const after = nextOf(wf.step(before, event));
  return commandEffects({ before, after, event, historyPayload, assessed, policy, rules: DEFAULT_SETTINGS, retention: { settings: DEFAULT_RETENTION_SETTINGS, calendar } });
}

describe('commandEffects', () => {
  it('a note: a history row in the same state with the given payload, no deadline, no facts', () => {
    const before = wf.start(baseInput());
    const e = effects(before, E.note());
    expect(e.history).toEqual({ type: 'NOTE_ADDED', fromState: before.state, toState: before.state, payload: { from: 'test' }, round: 1 });
    expect(e).toMatchObject({ assessedSafety: undefined, closedAt: null, retention: null, qualityFacts: null, planFacts: null, stateChanged: false });
    expect(e.deadlines.open).toEqual([]);
  });

  it('the first approved decision sets the assessed safety, a later one does not; a decision to hand over leaves VT with quality facts', () => {
    const proposed = drive(wf, prepared(wf), [E.proposeDecision('VT-01-04', 'structureel', at('2024-06-04T09:00:00.000Z'))]);
    const approve = E.approveDecision(at('2024-06-05T10:00:00.000Z'));
    const first = effects(proposed, approve);
    expect(first.assessedSafety).toBe('structureel');
    expect(first.stateChanged).toBe(true);
    expect(first.qualityFacts).toMatchObject({ leftAt: '2024-06-05T10:00:00.000Z', toState: 'overdracht', facts: { round: 1, decided: true } });
    expect(first.deadlines.meet.length).toBeGreaterThan(0);
    expect(effects(proposed, approve, true).assessedSafety).toBeUndefined();
  });

  it('an onderzoek started with a plan van aanpak gives the plan facts at the event time', () => {
    const waiting = drive(wf, prepared(wf), [E.proposeDecision('VT-01-01', 'structureel', at('2024-06-04T09:00:00.000Z')), E.approveDecision(at('2024-06-05T10:00:00.000Z'))]);
    const e = effects(waiting, E.startOnderzoek(at('2024-06-06T09:00:00.000Z')));
    expect(e.planFacts).toEqual({ startedAt: '2024-06-06T09:00:00.000Z', round: 1, kind: 'multidisciplinair', made: true, reasonNoPlan: false });
    expect(e.qualityFacts).toBeNull();
  });
});

describe('registrationEffects', () => {
  it('the first history row (vervolgmeldingOf only when there is one) and the deadlines the policy opens', () => {
    const melding = wf.start(baseInput());
    const r = registrationEffects({ melding, policy, acuteDanger: false, gemeente: 'GM0193', violenceTypes: ['kindermishandeling'], personIds: ['p1'], adviesId: null });
    expect(r.history).toEqual({ type: 'MELDING_REGISTERED', toState: melding.state, round: 1, payload: { acuteDanger: false, gemeente: 'GM0193', violenceTypes: ['kindermishandeling'], persons: ['p1'], adviesId: null } });
    expect(r.deadlines).toEqual(policy.onRegistration(melding));
    expect(registrationEffects({ melding, policy, acuteDanger: false, gemeente: 'GM0193', violenceTypes: [], personIds: [], adviesId: null, vervolgmeldingOf: 'c1' }).history.payload).toMatchObject({ vervolgmeldingOf: 'c1' });
  });
});
