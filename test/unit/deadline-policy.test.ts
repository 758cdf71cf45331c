import { createAwtCalendar } from '../../workflows/calendar/awt-calendar';
import { DEFAULT_DEADLINE_SETTINGS, DeadlinePolicy, type DeadlineSettings } from '../../workflows/deadlines/deadline-policy';
import type { MeldingEvent, PersistedMelding } from '../../workflows/melding';
import { baseInput, drive, E, openContactId, prepared, workflow } from './melding.fixtures';

/**
 * Which event opens, meets and cancels which term, with the moments computed on the Awt calendar. The melding is
 * received on Monday 3 June 2024 09:00 Amsterdam (07:00 UTC); all moments below are UTC.
 */
const wf = workflow();
const calendar = createAwtCalendar();
const policy = (over: Partial<DeadlineSettings> = {}) => new DeadlinePolicy(calendar, { ...DEFAULT_DEADLINE_SETTINGS, ...over });

const at = (iso: string) => ({ at: iso });
const WED = '2024-06-05T10:00:00.000Z';
const END_MON_10_JUNE = '2024-06-10T21:59:59.999Z';
const START_MON_10_JUNE = '2024-06-09T22:00:00.000Z';

/** A case waiting for approval of a decision proposed on Tuesday 4 June. */
const proposed = (code: Parameters<typeof E.proposeDecision>[0], safety: Parameters<typeof E.proposeDecision>[1] = 'structureel') =>
  drive(wf, prepared(wf), [E.proposeDecision(code, safety, at('2024-06-04T09:00:00.000Z'))]);
const waiting = () => drive(wf, proposed('VT-01-01'), [E.approveDecision(at(WED))]);
const inOnderzoek = () => drive(wf, waiting(), [E.startOnderzoek(at('2024-06-06T09:00:00.000Z'))]);
const concluding = () => drive(wf, inOnderzoek(), [E.proposeConclusion('overdracht', 'structureel', at('2024-07-01T09:00:00.000Z'))]);
const inMonitoring = () => drive(wf, proposed('VT-01-04'), [E.approveDecision(at(WED)), E.confirmHandover(at('2024-06-06T09:00:00.000Z'))]);
const assessing = (over = {}) => wf.start(baseInput(over));

interface Row {
  name: string;
  before: () => PersistedMelding;
  event: (before: PersistedMelding) => MeldingEvent;
  settings?: Partial<DeadlineSettings>;
  open: Array<{ kind: string; key: string; dueAt: string; warnAt: string }>;
  meet: Array<{ kind: string; key: string }>;
  cancelAllOpen?: boolean;
}

const ROWS: Row[] = [
  { name: 'a note changes no term', before: assessing, event: () => E.note(), open: [], meet: [] },
  {
    name: 'VT-01-01 meets the assessment, opens feedback, the start term (receipt + 5 days, Saturday → Monday) and the 10 weeks from the decision',
    before: () => proposed('VT-01-01'),
    event: () => E.approveDecision(at(WED)),
    open: [
      { kind: 'terugkoppeling', key: 'na_beoordeling-1', dueAt: '2024-06-12T21:59:59.999Z', warnAt: '2024-06-11T22:00:00.000Z' },
      { kind: 'onderzoek_start', key: 'onderzoek_start-1', dueAt: END_MON_10_JUNE, warnAt: START_MON_10_JUNE },
      { kind: 'onderzoek', key: 'onderzoek-1', dueAt: '2024-08-14T21:59:59.999Z', warnAt: '2024-08-13T22:00:00.000Z' },
    ],
    meet: [{ kind: 'veiligheidsbeoordeling', key: 'beoordeling-1' }],
  },
  {
    name: 'a VT-01-01 decided after the start term ended opens it with its end in the past',
    before: () => proposed('VT-01-01'),
    event: () => E.approveDecision(at('2024-06-12T10:00:00.000Z')),
    open: [
      { kind: 'terugkoppeling', key: 'na_beoordeling-1', dueAt: '2024-06-19T21:59:59.999Z', warnAt: '2024-06-18T22:00:00.000Z' },
      { kind: 'onderzoek_start', key: 'onderzoek_start-1', dueAt: END_MON_10_JUNE, warnAt: START_MON_10_JUNE },
      { kind: 'onderzoek', key: 'onderzoek-1', dueAt: '2024-08-21T21:59:59.999Z', warnAt: '2024-08-20T22:00:00.000Z' },
    ],
    meet: [{ kind: 'veiligheidsbeoordeling', key: 'beoordeling-1' }],
  },
  {
    name: 'with the start anchored on the decision: five werkdagen after it; with the 10 weeks anchored on the assessment term: from its end',
    before: () => proposed('VT-01-01'),
    event: () => E.approveDecision(at(WED)),
    settings: { onderzoekStartAnchor: 'decision', onderzoekAnchor: 'assessment_term' },
    open: [
      { kind: 'terugkoppeling', key: 'na_beoordeling-1', dueAt: '2024-06-12T21:59:59.999Z', warnAt: '2024-06-11T22:00:00.000Z' },
      { kind: 'onderzoek_start', key: 'onderzoek_start-1', dueAt: '2024-06-12T21:59:59.999Z', warnAt: '2024-06-11T22:00:00.000Z' },
      { kind: 'onderzoek', key: 'onderzoek-1', dueAt: '2024-08-19T21:59:59.999Z', warnAt: '2024-08-18T22:00:00.000Z' },
    ],
    meet: [{ kind: 'veiligheidsbeoordeling', key: 'beoordeling-1' }],
  },
  { name: 'ONDERZOEK_STARTED meets the start term', before: waiting, event: () => E.startOnderzoek(at('2024-06-06T09:00:00.000Z')), open: [], meet: [{ kind: 'onderzoek_start', key: 'onderzoek_start-1' }] },
  {
    name: 'an approved conclusion meets the onderzoek, opens feedback and the handover confirmation',
    before: concluding,
    event: () => E.approveConclusion(at('2024-07-02T09:00:00.000Z')),
    open: [
      { kind: 'terugkoppeling', key: 'na_onderzoek-1', dueAt: '2024-07-09T21:59:59.999Z', warnAt: '2024-07-08T22:00:00.000Z' },
      { kind: 'overdrachtsbevestiging', key: 'overdracht-2024-07-02T09:00:00.000Z', dueAt: '2024-07-09T21:59:59.999Z', warnAt: '2024-07-08T22:00:00.000Z' },
    ],
    meet: [{ kind: 'onderzoek', key: 'onderzoek-1' }],
  },
  {
    name: 'VT-01-02 meets the assessment and opens feedback and the handover confirmation',
    before: () => proposed('VT-01-02'),
    event: () => E.approveDecision(at(WED)),
    open: [
      { kind: 'terugkoppeling', key: 'na_beoordeling-1', dueAt: '2024-06-12T21:59:59.999Z', warnAt: '2024-06-11T22:00:00.000Z' },
      { kind: 'overdrachtsbevestiging', key: `overdracht-${WED}`, dueAt: '2024-06-12T21:59:59.999Z', warnAt: '2024-06-11T22:00:00.000Z' },
    ],
    meet: [{ kind: 'veiligheidsbeoordeling', key: 'beoordeling-1' }],
  },
  {
    name: 'VT-00 meets the assessment and cancels every term still open (final state)',
    before: () => proposed('VT-00', 'geen'),
    event: () => E.approveDecision(at(WED)),
    open: [{ kind: 'terugkoppeling', key: 'na_beoordeling-1', dueAt: '2024-06-12T21:59:59.999Z', warnAt: '2024-06-11T22:00:00.000Z' }],
    meet: [{ kind: 'veiligheidsbeoordeling', key: 'beoordeling-1' }],
    cancelAllOpen: true,
  },
  { name: 'feedback after the assessment meets its term', before: waiting, event: () => E.feedback('na_beoordeling'), open: [], meet: [{ kind: 'terugkoppeling', key: 'na_beoordeling-1' }] },
  {
    name: 'the handover confirmed meets its term',
    before: () => drive(wf, proposed('VT-01-04'), [E.approveDecision(at(WED))]),
    event: () => E.confirmHandover(),
    open: [],
    meet: [{ kind: 'overdrachtsbevestiging', key: `overdracht-${WED}` }],
  },
  {
    name: 'a planned monitoring contact is due at the end of its day, warned at its start',
    before: assessing,
    event: () => E.planMonitoring({ eventId: 'contact-1' }),
    open: [{ kind: 'monitoringscontact', key: 'contact-1', dueAt: '2024-07-01T21:59:59.999Z', warnAt: '2024-06-30T22:00:00.000Z' }],
    meet: [],
  },
  {
    name: 'a contact held with herbeoordeling meets it and opens a second assessment from that moment',
    before: inMonitoring,
    event: (b) => E.holdMonitoring(openContactId(b), 'herbeoordeling', { violenceStopped: false }, at('2024-07-01T08:00:00.000Z')),
    open: [{ kind: 'veiligheidsbeoordeling', key: 'beoordeling-2', dueAt: '2024-07-08T21:59:59.999Z', warnAt: '2024-07-07T22:00:00.000Z' }],
    meet: [{ kind: 'monitoringscontact', key: 'contact' }],
  },
  {
    name: 'an onderzoek decided at a monitoring contact counts its start term and 10 weeks from that decision',
    before: inMonitoring,
    event: (b) => E.holdMonitoring(openContactId(b), 'onderzoek', { safetyRestored: false }, at('2024-07-01T08:00:00.000Z')),
    open: [
      // Monday 1 July + 5 days = Saturday 6 July → Monday 8 July; + 70 days = Monday 9 September.
      { kind: 'onderzoek_start', key: 'onderzoek_start-1', dueAt: '2024-07-08T21:59:59.999Z', warnAt: '2024-07-07T22:00:00.000Z' },
      { kind: 'onderzoek', key: 'onderzoek-1', dueAt: '2024-09-09T21:59:59.999Z', warnAt: '2024-09-08T22:00:00.000Z' },
    ],
    meet: [{ kind: 'monitoringscontact', key: 'contact' }],
  },
  {
    name: 'the acute action meets the acute term',
    before: () => assessing({ acuteDanger: true }),
    event: () => E.acuteAction(at('2024-06-03T08:00:00.000Z')),
    open: [],
    meet: [{ kind: 'acuut', key: 'acuut' }],
  },
  {
    name: 'acute unsafety established in an onderzoek opens an acute term from that moment',
    before: inOnderzoek,
    event: () => E.acuteEstablished(at('2024-06-20T12:00:00.000Z')),
    open: [{ kind: 'acuut', key: 'acuut', dueAt: '2024-06-20T16:00:00.000Z', warnAt: '2024-06-20T15:00:00.000Z' }],
    meet: [],
  },
  {
    name: 'established again after the first action on an acute melding: a second acute term, met by the next action',
    before: () => drive(wf, assessing({ acuteDanger: true }), [E.acuteAction(at('2024-06-03T08:00:00.000Z'))]),
    event: () => E.acuteEstablished(at('2024-06-04T09:30:00.000Z')),
    open: [{ kind: 'acuut', key: 'acuut-2', dueAt: '2024-06-04T13:30:00.000Z', warnAt: '2024-06-04T12:30:00.000Z' }],
    meet: [],
  },
  {
    name: 'the action on the second acute unsafety meets the second term',
    before: () => drive(wf, assessing({ acuteDanger: true }), [E.acuteAction(at('2024-06-03T08:00:00.000Z')), E.acuteEstablished(at('2024-06-04T09:30:00.000Z'))]),
    event: () => E.acuteAction(at('2024-06-04T10:00:00.000Z')),
    open: [],
    meet: [{ kind: 'acuut', key: 'acuut-2' }],
  },
  {
    name: 'an assessment approved as acute opens the acute term from the approval',
    before: () => proposed('VT-01-02', 'acuut'),
    event: () => E.approveDecision(at(WED)),
    open: [
      { kind: 'terugkoppeling', key: 'na_beoordeling-1', dueAt: '2024-06-12T21:59:59.999Z', warnAt: '2024-06-11T22:00:00.000Z' },
      { kind: 'acuut', key: 'acuut', dueAt: '2024-06-05T14:00:00.000Z', warnAt: '2024-06-05T13:00:00.000Z' },
      { kind: 'overdrachtsbevestiging', key: `overdracht-${WED}`, dueAt: '2024-06-12T21:59:59.999Z', warnAt: '2024-06-11T22:00:00.000Z' },
    ],
    meet: [{ kind: 'veiligheidsbeoordeling', key: 'beoordeling-1' }],
  },
  {
    name: 'an approved closure cancels every term still open',
    before: () => drive(wf, proposed('VT-01-03', 'geen'), [E.approveDecision(at(WED)), E.feedback('na_beoordeling'), E.proposeClosure()]),
    event: () => E.approveClosure(),
    open: [],
    meet: [],
    cancelAllOpen: true,
  },
];

describe('DeadlinePolicy.onTransition', () => {
  it.each(ROWS.map((r) => [r.name, r] as const))('%s', (_name, row) => {
    const before = row.before();
    const event = row.event(before);
    const step = wf.step(before, event);
    if (!step.ok) throw new Error(`${event.type} refused: ${JSON.stringify(step.reasons)}`);
    const changes = policy(row.settings).onTransition(before, step.next, event);
    expect(changes.open.map((d) => ({ kind: d.kind, key: d.key, dueAt: d.dueAt.toISOString(), warnAt: d.warnAt.toISOString() }))).toEqual(row.open);
    // A monitoring contact's key is the id of the event that planned it.
    const contactKey = before.context.monitoringContacts.find((c) => c.heldAt === null)?.id;
    expect(changes.meet).toEqual(row.meet.map((m) => (m.key === 'contact' ? { ...m, key: contactKey } : m)));
    expect(changes.cancelAllOpen).toBe(row.cancelAllOpen ?? false);
    for (const d of changes.open) expect(d.rule.length).toBeGreaterThan(10);
  });
});

describe('DeadlinePolicy.onRegistration', () => {
  it.each([
    ['a melding opens the assessment term: the end of the fifth werkdag after the day of receipt', false, [{ kind: 'veiligheidsbeoordeling', key: 'beoordeling-1', dueAt: END_MON_10_JUNE, warnAt: START_MON_10_JUNE }]],
    [
      'an acute melding also opens the acute term (240 minutes, warned at three quarters)',
      true,
      [
        { kind: 'acuut', key: 'acuut', dueAt: '2024-06-03T11:00:00.000Z', warnAt: '2024-06-03T10:00:00.000Z' },
        { kind: 'veiligheidsbeoordeling', key: 'beoordeling-1', dueAt: END_MON_10_JUNE, warnAt: START_MON_10_JUNE },
      ],
    ],
  ] as const)('%s', (_name, acuteDanger, expected) => {
    const planned = policy().onRegistration(wf.start(baseInput({ acuteDanger })));
    expect(planned.map((d) => ({ kind: d.kind, key: d.key, dueAt: d.dueAt.toISOString(), warnAt: d.warnAt.toISOString() }))).toEqual(expected);
  });

  it('the start term of a melding received on a Wednesday before Ascension Day moves past the holiday', () => {
    // Received Wednesday 8 May 2024: the fifth day after is Monday 13 May, a werkdag; received Saturday 4 May:
    // Thursday 9 May is Hemelvaartsdag, so the term ends Friday 10 May.
    const decide = (receivedAt: string) => {
      const input = baseInput({ receivedAt });
      const p = drive(wf, prepared(wf, input), [E.proposeDecision('VT-01-01', 'geen', at('2024-05-20T09:00:00.000Z'))]);
      const event = E.approveDecision(at('2024-05-20T10:00:00.000Z'));
      const r = wf.step(p, event);
      if (!r.ok) throw new Error('refused');
      return policy().onTransition(p, r.next, event).open.find((d) => d.kind === 'onderzoek_start')!.dueAt.toISOString();
    };
    expect(decide('2024-05-08T10:00:00.000Z')).toBe('2024-05-13T21:59:59.999Z');
    expect(decide('2024-05-04T10:00:00.000Z')).toBe('2024-05-10T21:59:59.999Z');
  });
});
