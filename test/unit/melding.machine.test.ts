import {
  FINAL_STATES,
  MELDING_EVENT_TYPES,
  MELDING_MACHINE_VERSION,
  MELDING_STATES,
  OPEN_STATES,
  migrateSnapshot,
  type ConclusionFollowUp,
  type MeldingEventType,
  type MeldingInput,
  type MeldingState,
  type MeldingWorkflow,
  type PersistedMelding,
} from '../../workflows/melding';
import type { DecisionCode, SafetyOutcome } from '../../workflows/reference';
import {
  ANNA,
  BRAM,
  CHILD_4,
  CHILD_8,
  E,
  ELDER,
  NOT_ON_CASE,
  PARENT,
  asV4,
  baseInput,
  codesOf,
  drive,
  nextOf,
  oneOfEach,
  openContactId,
  paperwork,
  prepared,
  reasonsOf,
  workflow,
} from './melding.fixtures';

const wf = workflow();
const CARLA = { id: 'staff-carla', role: 'medewerker' } as const;

// ---------------------------------------------------------------------------
// Getting a case into each state (each takes the workflow, so settings can vary)

const decided = (w: MeldingWorkflow, code: DecisionCode, safety: SafetyOutcome, input?: MeldingInput) =>
  drive(w, prepared(w, input), [E.proposeDecision(code, safety), E.approveDecision()]);
/** A VT-01-01 case whose onderzoek was decided and then started by staff. */
const started = (w: MeldingWorkflow, input?: MeldingInput) => drive(w, decided(w, 'VT-01-01', 'geen', input), [E.startOnderzoek()]);
const concluded = (w: MeldingWorkflow, followUp: ConclusionFollowUp, safety: SafetyOutcome) =>
  drive(w, started(w), [E.proposeConclusion(followUp, safety), E.approveConclusion()]);

const reach: Record<MeldingState, (w: MeldingWorkflow) => PersistedMelding> = {
  veiligheidsbeoordeling: (w) => prepared(w),
  besluit_ter_goedkeuring: (w) => drive(w, prepared(w), [E.proposeDecision('VT-01-01', 'geen')]),
  wacht_op_onderzoek: (w) => decided(w, 'VT-01-01', 'geen'),
  onderzoek: (w) => started(w),
  conclusie_ter_goedkeuring: (w) => drive(w, started(w), [E.proposeConclusion('afsluiten', 'geen')]),
  overdracht: (w) => decided(w, 'VT-01-04', 'structureel'),
  monitoring: (w) => drive(w, decided(w, 'VT-01-04', 'structureel'), [E.confirmHandover()]),
  afronding: (w) => decided(w, 'VT-01-03', 'geen'),
  afsluiting_ter_goedkeuring: (w) => drive(w, decided(w, 'VT-01-03', 'geen'), [E.feedback('na_beoordeling'), E.proposeClosure()]),
  afgesloten: (w) => drive(w, decided(w, 'VT-01-03', 'geen'), [E.feedback('na_beoordeling'), E.proposeClosure(), E.approveClosure()]),
  niet_ontvankelijk: (w) => decided(w, 'VT-00', 'geen'),
  doorverwezen: (w) => decided(w, 'VT-99', 'geen'),
};

/** A monitoring case whose single contact was held positively, with feedback given: ready to close. */
const monitoredWell = (w: MeldingWorkflow) => {
  const m = reach.monitoring(w);
  return drive(w, m, [E.holdMonitoring(openContactId(m), 'doorgaan'), E.feedback('na_beoordeling')]);
};

/** Probe for the handover rules: a VT-01-02 decision without unsafety (no safety plan, no monitoring needed). */
const proposeHandover = (w: MeldingWorkflow, p: PersistedMelding, meta?: { at: string }) => w.step(p, E.proposeDecision('VT-01-02', 'geen', meta));

const RECORDS: MeldingEventType[] = [
  'NOTE_ADDED',
  'PERSON_ADDED',
  'ACUTE_ACTION_STARTED',
  'ACUTE_UNSAFETY_ESTABLISHED',
  'CHILD_CONTACT_RECORDED',
  'SAFETY_PLAN_RECORDED',
  'CHAIN_PARTNER_RECORDED',
  'INFORMAL_NETWORK_RECORDED',
  'FIRST_CONTACT_INFORMATION_RECORDED',
  'VERTROUWENSPERSOON_INFORMATION_RECORDED',
  'MEMBER_SAFETY_ASSESSED',
  'FACT_CONFIRMED_STILL_VALID',
  'MONITORING_CONTACT_PLANNED',
  'MELDER_FEEDBACK_GIVEN',
];

function deepFreeze<T>(value: T): T {
  if (value !== null && typeof value === 'object' && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const v of Object.values(value)) deepFreeze(v);
  }
  return value;
}

// ---------------------------------------------------------------------------

describe('states', () => {
  it.each(Object.keys(reach) as MeldingState[])('%s is reachable', (state) => {
    expect(reach[state](wf).state).toBe(state);
  });

  it('the fixtures reach every state of the machine', () => {
    expect(Object.keys(reach).sort()).toEqual([...MELDING_STATES].sort());
  });

  it('a new melding starts in veiligheidsbeoordeling with the first assessment counted', () => {
    const p = wf.start(baseInput({ acuteDanger: true }));
    expect(p).toMatchObject({ machine: 'melding', version: 6, state: 'veiligheidsbeoordeling' });
    expect(MELDING_MACHINE_VERSION).toBe(6);
    expect(p.context).toMatchObject({
      caseId: baseInput().caseId,
      receivedAt: '2024-06-03T07:00:00.000Z',
      acuteDanger: true,
      melderReachable: true,
      assessmentCount: 1,
      assessmentStartedAt: '2024-06-03T07:00:00.000Z',
      onderzoekCount: 0,
      onderzoekStartedAt: null,
      decision: null,
      proposal: null,
      closedAt: null,
      round: 1,
      roundStartedAt: '2024-06-03T07:00:00.000Z',
      onderzoekRound: null,
      planVanAanpak: null,
    });
    expect(p.context.persons).toEqual([PARENT, CHILD_8, CHILD_4]);
  });

  describe('which events each open state accepts', () => {
    const flow: Record<string, MeldingEventType[]> = {
      veiligheidsbeoordeling: ['DECISION_PROPOSED'],
      besluit_ter_goedkeuring: ['DECISION_APPROVED', 'DECISION_REJECTED'],
      wacht_op_onderzoek: ['ONDERZOEK_STARTED'],
      onderzoek: ['ONDERZOEK_CONCLUSION_PROPOSED'],
      conclusie_ter_goedkeuring: ['ONDERZOEK_CONCLUSION_APPROVED', 'ONDERZOEK_CONCLUSION_REJECTED'],
      overdracht: ['HANDOVER_CONFIRMED'],
      monitoring: ['MONITORING_CONTACT_HELD', 'CLOSURE_PROPOSED'],
      afronding: ['CLOSURE_PROPOSED'],
      afsluiting_ter_goedkeuring: ['CLOSURE_APPROVED', 'CLOSURE_REJECTED'],
    };
    it('covers every open state', () => {
      expect(Object.keys(flow).sort()).toEqual([...OPEN_STATES].sort());
    });

    it.each(Object.entries(flow))('%s: record-keeping plus %j, nothing else', (state, own) => {
      const p = reach[state as MeldingState](wf);
      const accepted = new Set([...RECORDS, ...own]);
      for (const [type, event] of Object.entries(oneOfEach(p))) {
        const r = wf.step(p, event);
        const notAllowed = !r.ok && r.code === 'EVENT_NOT_ALLOWED';
        expect({ type, notAllowed }).toEqual({ type, notAllowed: !accepted.has(type as MeldingEventType) });
      }
    });
  });

  it.each(['NOTE_ADDED', 'PERSON_ADDED', 'SAFETY_PLAN_RECORDED', 'MONITORING_CONTACT_PLANNED'] as const)(
    '%s is accepted and keeps the state',
    (type) => {
      for (const state of ['veiligheidsbeoordeling', 'wacht_op_onderzoek', 'overdracht', 'afsluiting_ter_goedkeuring'] as const) {
        const p = reach[state](wf);
        expect(nextOf(wf.step(p, oneOfEach(p)[type])).state).toBe(state);
      }
    },
  );
});

describe('EVENT_NOT_ALLOWED in the wrong state', () => {
  it.each<[MeldingState, MeldingEventType]>([
    ['veiligheidsbeoordeling', 'DECISION_APPROVED'],
    ['veiligheidsbeoordeling', 'DECISION_REJECTED'],
    ['veiligheidsbeoordeling', 'ONDERZOEK_CONCLUSION_PROPOSED'],
    ['veiligheidsbeoordeling', 'CLOSURE_PROPOSED'],
    ['veiligheidsbeoordeling', 'MONITORING_CONTACT_HELD'],
    ['besluit_ter_goedkeuring', 'DECISION_PROPOSED'],
    ['wacht_op_onderzoek', 'ONDERZOEK_CONCLUSION_PROPOSED'],
    ['wacht_op_onderzoek', 'ONDERZOEK_CONCLUSION_APPROVED'],
    ['wacht_op_onderzoek', 'DECISION_PROPOSED'],
    ['wacht_op_onderzoek', 'DECISION_APPROVED'],
    ['wacht_op_onderzoek', 'CLOSURE_PROPOSED'],
    ['wacht_op_onderzoek', 'HANDOVER_CONFIRMED'],
    ['wacht_op_onderzoek', 'MONITORING_CONTACT_HELD'],
    ['onderzoek', 'DECISION_PROPOSED'],
    ['onderzoek', 'ONDERZOEK_CONCLUSION_APPROVED'],
    ['onderzoek', 'CLOSURE_PROPOSED'],
    ['veiligheidsbeoordeling', 'ONDERZOEK_STARTED'],
    ['besluit_ter_goedkeuring', 'ONDERZOEK_STARTED'],
    ['onderzoek', 'ONDERZOEK_STARTED'],
    ['conclusie_ter_goedkeuring', 'ONDERZOEK_STARTED'],
    ['overdracht', 'ONDERZOEK_STARTED'],
    ['monitoring', 'ONDERZOEK_STARTED'],
    ['afronding', 'ONDERZOEK_STARTED'],
    ['afsluiting_ter_goedkeuring', 'ONDERZOEK_STARTED'],
    ['overdracht', 'CLOSURE_PROPOSED'],
    ['overdracht', 'MONITORING_CONTACT_HELD'],
    ['afronding', 'HANDOVER_CONFIRMED'],
    ['afronding', 'CLOSURE_APPROVED'],
    ['afronding', 'MONITORING_CONTACT_HELD'],
    ['monitoring', 'HANDOVER_CONFIRMED'],
    ['afsluiting_ter_goedkeuring', 'CLOSURE_PROPOSED'],
  ])('in %s: %s', (state, type) => {
    const p = reach[state](wf);
    const r = wf.step(p, oneOfEach(p)[type]);
    expect(r).toEqual({ ok: false, code: 'EVENT_NOT_ALLOWED', reasons: [{ code: 'EVENT_NOT_ALLOWED', message: `${type} is not allowed in state ${state}` }] });
  });

  describe.each(FINAL_STATES)('final state %s', (state) => {
    let p: PersistedMelding;
    beforeAll(() => {
      p = reach[state](wf);
    });
    it.each(MELDING_EVENT_TYPES)('refuses %s', (type) => {
      const r = wf.step(p, oneOfEach(p)[type]);
      expect(r.ok).toBe(false);
      expect(!r.ok && r.code).toBe('EVENT_NOT_ALLOWED');
    });
  });
});

describe('decision paths from veiligheidsbeoordeling', () => {
  it('DECISION_PROPOSED → besluit_ter_goedkeuring, holding the proposal; approval records the decision', () => {
    const proposed = drive(wf, prepared(wf), [E.proposeDecision('VT-01-01', 'structureel')]);
    expect(proposed.state).toBe('besluit_ter_goedkeuring');
    expect(proposed.context.proposal).toMatchObject({ kind: 'besluit', by: ANNA.id, decisionCode: 'VT-01-01', safety: 'structureel', returnTo: 'veiligheidsbeoordeling' });
    expect(proposed.context.decision).toBeNull();

    const approval = E.approveDecision();
    const approved = nextOf(wf.step(proposed, approval));
    expect(approved.context.proposal).toBeNull();
    expect(approved.context.safety).toBe('structureel');
    expect(approved.context.decision).toEqual({ code: 'VT-01-01', approvedAt: approval.at, proposedBy: ANNA.id, approvedBy: BRAM.id });
  });

  describe('VT-01-01 → wacht_op_onderzoek → onderzoek → conclusion', () => {
    it('the approval enters wacht_op_onderzoek, counting the onderzoek but not starting it', () => {
      const proposed = drive(wf, prepared(wf), [E.proposeDecision('VT-01-01', 'geen')]);
      const approval = E.approveDecision();
      const p = nextOf(wf.step(proposed, approval));
      expect(p.state).toBe('wacht_op_onderzoek');
      expect(p.context.onderzoekCount).toBe(1);
      expect(p.context.onderzoekStartedAt).toBeNull();
      expect(p.context.decision).toEqual({ code: 'VT-01-01', approvedAt: approval.at, proposedBy: ANNA.id, approvedBy: BRAM.id });
      expect(p.context.proposal).toBeNull();
    });

    it.each<[string, string | undefined]>([
      ['without a comment', undefined],
      ['with a comment', 'onderzoeker toegewezen'],
    ])('ONDERZOEK_STARTED (%s) → onderzoek, stamping its start and changing nothing else', (_label, comment) => {
      const waiting = reach.wacht_op_onderzoek(wf);
      const start = E.startOnderzoek({ at: '2024-06-17T09:30:00.000Z', actor: CARLA }, comment);
      const p = nextOf(wf.step(waiting, start));
      expect(p.state).toBe('onderzoek');
      expect(p.context).toEqual({
        ...waiting.context,
        onderzoekStartedAt: '2024-06-17T09:30:00.000Z',
        planVanAanpak: { kind: 'multidisciplinair', at: '2024-06-17T09:30:00.000Z', drawnUpBy: CARLA.id, approvedBy: null, disciplines: ['gedragswetenschapper', 'arts'], made: true, reasonNoPlan: false, round: 1 },
      });
      expect(p.context.onderzoekCount).toBe(1);
    });

    it('ONDERZOEK_STARTED needs a plan van aanpak, or a recorded reason why there is none; any professional may start it', () => {
      const bare = drive(wf, wf.start(baseInput()), [E.proposeDecision('VT-01-01', 'geen'), E.approveDecision()]);
      expect(bare.state).toBe('wacht_op_onderzoek');
      expect(codesOf(wf.step(bare, E.startOnderzoek({ actor: ANNA }, undefined, {})))).toEqual(['PLAN_VAN_AANPAK_MISSING']);
      expect(nextOf(wf.step(bare, E.startOnderzoek({ actor: BRAM }))).state).toBe('onderzoek');
      const withReason = nextOf(wf.step(bare, E.startOnderzoek({ actor: ANNA }, undefined, { reasonNoPlan: 'acute situatie: plan volgt binnen twee dagen' })));
      expect(withReason.context.planVanAanpak).toMatchObject({ kind: null, made: false, reasonNoPlan: true });
    });

    it('an intercollegiaal plan is approved by a second professional: by the case worker itself it is refused, and made only by someone else', () => {
      const bare = drive(wf, wf.start(baseInput()), [E.proposeDecision('VT-01-01', 'geen'), E.approveDecision()]);
      const plan = (approvedBy: string) => ({ planVanAanpak: { kind: 'intercollegiaal' as const, summary: 'plan', approvedBy } });
      expect(codesOf(wf.step(bare, E.startOnderzoek({ actor: ANNA }, undefined, plan(ANNA.id))))).toEqual(['PLAN_FOUR_EYES']);
      const ok = nextOf(wf.step(bare, E.startOnderzoek({ actor: ANNA }, undefined, plan(BRAM.id))));
      expect(ok.context.planVanAanpak).toMatchObject({ kind: 'intercollegiaal', drawnUpBy: ANNA.id, approvedBy: BRAM.id, made: true });
      // Without the four-eyes rule the same person may approve, but the plan does not count as made.
      const alone = nextOf(workflow({ fourEyes: false }).step(bare, E.startOnderzoek({ actor: ANNA }, undefined, plan(ANNA.id))));
      expect(alone.context.planVanAanpak).toMatchObject({ made: false, reasonNoPlan: false });
    });

    it('waiting cases keep records: the paperwork done while waiting counts for the conclusion', () => {
      const waiting = drive(wf, wf.start(baseInput()), [E.proposeDecision('VT-01-01', 'geen'), E.approveDecision()]);
      const recorded = drive(wf, waiting, paperwork(baseInput()));
      expect(recorded.state).toBe('wacht_op_onderzoek');
      const p = drive(wf, recorded, [E.startOnderzoek(), E.proposeConclusion('voorwaarden_en_vervolg', 'structureel')]);
      expect(p.state).toBe('conclusie_ter_goedkeuring');
    });

    it('ONDERZOEK_CONCLUSION_PROPOSED before the start is EVENT_NOT_ALLOWED', () => {
      const r = wf.step(reach.wacht_op_onderzoek(wf), E.proposeConclusion('afsluiten', 'geen'));
      expect(!r.ok && r.code).toBe('EVENT_NOT_ALLOWED');
    });

    it('ONDERZOEK_CONCLUSION_PROPOSED → conclusie_ter_goedkeuring', () => {
      const p = drive(wf, reach.onderzoek(wf), [E.proposeConclusion('overdracht', 'structureel')]);
      expect(p.state).toBe('conclusie_ter_goedkeuring');
      expect(p.context.proposal).toMatchObject({ kind: 'conclusie', followUp: 'overdracht', safety: 'structureel', by: ANNA.id, returnTo: 'onderzoek' });
    });

    it('follow-up overdracht without unsafety → overdracht → afronding (no monitoring)', () => {
      const p = concluded(wf, 'overdracht', 'geen');
      expect(p.state).toBe('overdracht');
      expect(p.context.handover).toMatchObject({ withConditions: false, toRaad: false, confirmedAt: null });
      const confirm = E.confirmHandover();
      const after = nextOf(wf.step(p, confirm));
      expect(after.state).toBe('afronding');
      expect(after.context.handover?.confirmedAt).toBe(confirm.at);
    });

    it('follow-up overdracht with structural unsafety → overdracht → monitoring', () => {
      const p = concluded(wf, 'overdracht', 'structureel');
      expect(p.state).toBe('overdracht');
      expect(p.context.safety).toBe('structureel');
      expect(drive(wf, p, [E.confirmHandover()]).state).toBe('monitoring');
    });

    it('follow-up voorwaarden_en_vervolg → overdracht with conditions → monitoring, even without unsafety', () => {
      const p = concluded(wf, 'voorwaarden_en_vervolg', 'geen');
      expect(p.context.handover).toMatchObject({ withConditions: true, toRaad: false });
      expect(drive(wf, p, [E.confirmHandover()]).state).toBe('monitoring');
    });

    it('follow-up raad_voor_de_kinderbescherming → overdracht to the Raad → afronding, with no monitoring planned', () => {
      const p = drive(wf, prepared(wf, baseInput(), ['monitoring']), [
        E.proposeDecision('VT-01-01', 'geen'),
        E.approveDecision(),
        E.startOnderzoek(),
        E.proposeConclusion('raad_voor_de_kinderbescherming', 'acuut'),
        E.approveConclusion(),
      ]);
      expect(p.state).toBe('overdracht');
      expect(p.context.handover).toMatchObject({ withConditions: false, toRaad: true });
      expect(drive(wf, p, [E.confirmHandover()]).state).toBe('afronding');
    });

    it('follow-up afsluiten → afronding → closure proposed → approved → afgesloten', () => {
      const p = concluded(wf, 'afsluiten', 'geen');
      expect(p.state).toBe('afronding');
      const proposed = drive(wf, p, [E.feedback('na_beoordeling'), E.feedback('na_onderzoek'), E.proposeClosure()]);
      expect(proposed.state).toBe('afsluiting_ter_goedkeuring');
      expect(proposed.context.proposal).toMatchObject({ kind: 'afsluiting', returnTo: 'afronding' });
      const approval = E.approveClosure();
      const closed = nextOf(wf.step(proposed, approval));
      expect(closed.state).toBe('afgesloten');
      expect(closed.context.closedAt).toBe(approval.at);
      expect(closed.context.proposal).toBeNull();
    });
  });

  describe.each(['VT-01-02', 'VT-02'] as const)('%s → overdracht', (code) => {
    it('without unsafety: HANDOVER_CONFIRMED → afronding → afgesloten', () => {
      const p = decided(wf, code, 'geen');
      expect(p.state).toBe('overdracht');
      expect(p.context.handover).toMatchObject({ withConditions: false, toRaad: false });
      const closed = drive(wf, p, [E.confirmHandover(), E.feedback('na_beoordeling'), E.proposeClosure(), E.approveClosure()]);
      expect(closed.state).toBe('afgesloten');
    });

    it.each(['acuut', 'structureel'] as const)('with %s unsafety: HANDOVER_CONFIRMED → monitoring', (safety) => {
      const p = decided(wf, code, safety);
      expect(p.state).toBe('overdracht');
      expect(drive(wf, p, [E.confirmHandover()]).state).toBe('monitoring');
    });
  });

  it('VT-01-04 → overdracht with conditions → monitoring → contact held → closure → afgesloten', () => {
    const p = decided(wf, 'VT-01-04', 'structureel');
    expect(p.state).toBe('overdracht');
    expect(p.context.handover).toMatchObject({ withConditions: true, toRaad: false });
    const m = drive(wf, p, [E.confirmHandover()]);
    expect(m.state).toBe('monitoring');
    const contactId = openContactId(m);
    const hold = E.holdMonitoring(contactId, 'doorgaan');
    const held = nextOf(wf.step(m, hold));
    expect(held.state).toBe('monitoring');
    expect(held.context.monitoringContacts).toEqual([{ id: contactId, plannedFor: '2024-07-01', heldAt: hold.at, positive: true }]);
    const proposed = drive(wf, held, [E.feedback('na_beoordeling'), E.proposeClosure()]);
    expect(proposed.state).toBe('afsluiting_ter_goedkeuring');
    expect(proposed.context.proposal?.returnTo).toBe('monitoring');
    expect(drive(wf, proposed, [E.approveClosure()]).state).toBe('afgesloten');
  });

  it.each<[DecisionCode, SafetyOutcome]>([
    ['VT-01-03', 'geen'],
    ['VT-03', 'geen'],
    ['VT-03', 'structureel'],
  ])('%s (%s) → afronding → closure proposed → approved → afgesloten', (code, safety) => {
    const p = decided(wf, code, safety);
    expect(p.state).toBe('afronding');
    expect(p.context.handover).toBeNull();
    const proposed = drive(wf, p, [E.feedback('na_beoordeling'), E.proposeClosure()]);
    expect(proposed.state).toBe('afsluiting_ter_goedkeuring');
    expect(drive(wf, proposed, [E.approveClosure()]).state).toBe('afgesloten');
  });

  it.each<[DecisionCode, MeldingState]>([
    ['VT-00', 'niet_ontvankelijk'],
    ['VT-99', 'doorverwezen'],
  ])('%s → %s, closed at the approval', (code, state) => {
    const proposed = drive(wf, wf.start(baseInput()), [E.proposeDecision(code, 'geen')]);
    const approval = E.approveDecision();
    const p = nextOf(wf.step(proposed, approval));
    expect(p.state).toBe(state);
    expect(p.context.closedAt).toBe(approval.at);
  });
});

describe('rejections', () => {
  it('DECISION_REJECTED returns to veiligheidsbeoordeling without a decision; a new proposal is possible', () => {
    const p = drive(wf, reach.besluit_ter_goedkeuring(wf), [E.rejectDecision()]);
    expect(p.state).toBe('veiligheidsbeoordeling');
    expect(p.context.proposal).toBeNull();
    expect(p.context.decision).toBeNull();
    expect(drive(wf, p, [E.proposeDecision('VT-01-03', 'geen')]).state).toBe('besluit_ter_goedkeuring');
  });

  it('ONDERZOEK_CONCLUSION_REJECTED returns to onderzoek without starting a new one (nor waiting again)', () => {
    const proposed = reach.conclusie_ter_goedkeuring(wf);
    const p = drive(wf, proposed, [E.rejectConclusion()]);
    expect(p.state).toBe('onderzoek');
    expect(p.context.proposal).toBeNull();
    expect(p.context.onderzoekCount).toBe(1);
    expect(p.context.onderzoekStartedAt).toBe(proposed.context.onderzoekStartedAt);
    expect(p.context.onderzoekStartedAt).not.toBeNull();
  });

  it('CLOSURE_REJECTED returns to afronding when proposed from afronding', () => {
    const p = drive(wf, reach.afsluiting_ter_goedkeuring(wf), [E.rejectClosure()]);
    expect(p.state).toBe('afronding');
    expect(p.context.proposal).toBeNull();
  });

  it('CLOSURE_REJECTED returns to monitoring when proposed from monitoring', () => {
    const p = drive(wf, monitoredWell(wf), [E.proposeClosure(), E.rejectClosure()]);
    expect(p.state).toBe('monitoring');
    expect(p.context.proposal).toBeNull();
  });
});

describe('guard SAFETY_PLAN_MISSING', () => {
  it.each<[DecisionCode, SafetyOutcome, string]>([
    ['VT-01-02', 'acuut', 'acute'],
    ['VT-01-02', 'structureel', 'structural'],
    ['VT-02', 'acuut', 'acute'],
    ['VT-01-04', 'structureel', 'structural'],
    ['VT-03', 'structureel', 'structural'],
  ])('%s with %s unsafety needs a safety plan', (code, safety, label) => {
    const p = prepared(wf, baseInput(), ['safetyPlan']);
    const r = wf.step(p, E.proposeDecision(code, safety));
    expect(codesOf(r)).toEqual(['SAFETY_PLAN_MISSING']);
    expect(reasonsOf(r)[0]!.message).toContain(`${label} unsafety`);
    expect(wf.step(drive(wf, p, [E.safetyPlan()]), E.proposeDecision(code, safety)).ok).toBe(true);
  });

  it.each<[ConclusionFollowUp, SafetyOutcome]>([
    ['overdracht', 'structureel'],
    ['voorwaarden_en_vervolg', 'acuut'],
    ['raad_voor_de_kinderbescherming', 'acuut'],
    ['afsluiten', 'structureel'],
  ])('an onderzoek conclusion %s with %s unsafety needs a safety plan', (followUp, safety) => {
    const p = drive(wf, prepared(wf, baseInput(), ['safetyPlan']), [E.proposeDecision('VT-01-01', 'geen'), E.approveDecision(), E.startOnderzoek()]);
    expect(codesOf(wf.step(p, E.proposeConclusion(followUp, safety)))).toEqual(['SAFETY_PLAN_MISSING']);
    expect(wf.step(drive(wf, p, [E.safetyPlan()]), E.proposeConclusion(followUp, safety)).ok).toBe(true);
  });

  it('is not needed for handover and closure when the assessment found no unsafety', () => {
    const p = drive(wf, prepared(wf, baseInput(), ['safetyPlan']), [
      E.proposeDecision('VT-01-04', 'geen'),
      E.approveDecision(),
      E.confirmHandover(),
    ]);
    expect(p.state).toBe('monitoring');
    const closed = drive(wf, p, [E.holdMonitoring(openContactId(p), 'doorgaan'), E.feedback('na_beoordeling'), E.proposeClosure(), E.approveClosure()]);
    expect(closed.state).toBe('afgesloten');
    expect(closed.context.safetyPlanAt).toBeNull();
  });

  it('blocks closure of a case with unsafety whose safety plan is missing (stored case checked again at closure)', () => {
    const afronding = drive(wf, prepared(wf, baseInput(), ['safetyPlan']), [E.proposeDecision('VT-01-03', 'geen'), E.approveDecision(), E.feedback('na_beoordeling')]);
    expect(wf.step(afronding, E.proposeClosure()).ok).toBe(true);
    const unsafe: PersistedMelding = { ...afronding, context: { ...afronding.context, safety: 'acuut' } };
    expect(codesOf(wf.step(unsafe, E.proposeClosure()))).toEqual(['SAFETY_PLAN_MISSING']);
  });
});

describe('guards CHILD_NOT_SEEN / CHILD_NOT_SPOKEN', () => {
  const noChildren = () => prepared(wf, baseInput(), ['children']);

  it('every child must be seen, and from 6 also spoken with', () => {
    const r = proposeHandover(wf, noChildren());
    expect(reasonsOf(r)).toEqual([
      { code: 'CHILD_NOT_SEEN', message: 'child 1 (age 8) has not been seen and no reason is recorded' },
      { code: 'CHILD_NOT_SPOKEN', message: 'child 1 (age 8) has not been spoken with and no reason is recorded' },
      { code: 'CHILD_NOT_SEEN', message: 'child 2 (age 4) has not been seen and no reason is recorded' },
    ]);
  });

  it('a child of 8 seen but not spoken with blocks; the message names child and age, never the person', () => {
    const p = drive(wf, noChildren(), [E.childContact(CHILD_8.id, { seen: true }), E.childContact(CHILD_4.id, { seen: true })]);
    const r = proposeHandover(wf, p);
    expect(codesOf(r)).toEqual(['CHILD_NOT_SPOKEN']);
    const { message } = reasonsOf(r)[0]!;
    expect(message).toMatch(/^child 1 \(age 8\) /);
    expect(message).not.toContain(CHILD_8.id);
    expect(message).not.toContain(CHILD_8.birthDate!);
  });

  it('a child of 4 seen only passes', () => {
    const p = drive(wf, noChildren(), [E.childContact(CHILD_8.id, { seen: true, spoken: true }), E.childContact(CHILD_4.id, { seen: true })]);
    expect(proposeHandover(wf, p).ok).toBe(true);
  });

  it('a recorded reason not spoken (or not seen) passes', () => {
    const p = drive(wf, noChildren(), [
      E.childContact(CHILD_8.id, { seen: true, reasonNotSpoken: 'weigert gesprek' }),
      E.childContact(CHILD_4.id, { reasonNotSeen: 'verblijft in buitenland' }),
    ]);
    expect(proposeHandover(wf, p).ok).toBe(true);
  });

  it('contacts add up: seen at one visit, spoken at another', () => {
    const p = drive(wf, noChildren(), [
      E.childContact(CHILD_8.id, { seen: true }),
      E.childContact(CHILD_8.id, { spoken: true }),
      E.childContact(CHILD_4.id, { seen: true }),
    ]);
    expect(p.context.childContacts[CHILD_8.id]).toMatchObject({ seen: true, spoken: true });
    expect(proposeHandover(wf, p).ok).toBe(true);
  });

  it('a child with unknown birth date must be spoken with', () => {
    const unknown = { id: '00000000-0000-4000-8000-0000000000c0', role: 'kind', birthDate: null, vulnerable: false } as const;
    const p = drive(wf, prepared(wf), [E.personAdded(unknown), E.childContact(unknown.id, { seen: true })]);
    expect(reasonsOf(proposeHandover(wf, p))).toEqual([
      { code: 'CHILD_NOT_SPOKEN', message: 'child 3 (age unknown) has not been spoken with and no reason is recorded' },
    ]);
    expect(proposeHandover(wf, drive(wf, p, [E.childContact(unknown.id, { spoken: true })])).ok).toBe(true);
  });

  it('ages are computed at the event time, not at receipt: the approval after the 6th birthday is blocked', () => {
    const child = { id: '00000000-0000-4000-8000-0000000000c6', role: 'kind', birthDate: '2018-06-20', vulnerable: false } as const;
    const input = baseInput({ persons: [PARENT, child] });
    const p = drive(wf, prepared(wf, input, ['children']), [E.childContact(child.id, { seen: true })]);
    const proposed = nextOf(proposeHandover(wf, p, { at: '2024-06-19T10:00:00.000Z' }));
    const r = wf.step(proposed, E.approveDecision({ at: '2024-06-20T10:00:00.000Z' }));
    expect(reasonsOf(r)).toEqual([{ code: 'CHILD_NOT_SPOKEN', message: 'child 1 (age 6) has not been spoken with and no reason is recorded' }]);
    expect(codesOf(proposeHandover(wf, p, { at: '2024-06-20T10:00:00.000Z' }))).toEqual(['CHILD_NOT_SPOKEN']);
  });

  it('ages use the calendar date in Europe/Amsterdam: 00:30 local on the 6th birthday (22:30 UTC the day before) is age 6', () => {
    const child = { id: '00000000-0000-4000-8000-0000000000c7', role: 'kind', birthDate: '2018-06-20', vulnerable: false } as const;
    const input = baseInput({ persons: [PARENT, child] });
    const p = drive(wf, prepared(wf, input, ['children']), [E.childContact(child.id, { seen: true })]);
    // 2024-06-19T22:30Z is 2024-06-20 00:30 in Amsterdam (CEST, UTC+2): the child has turned 6.
    const r = proposeHandover(wf, p, { at: '2024-06-19T22:30:00.000Z' });
    expect(r.ok ? [] : r.reasons).toEqual([{ code: 'CHILD_NOT_SPOKEN', message: 'child 1 (age 6) has not been spoken with and no reason is recorded' }]);
  });

  it('childSpokenFromAge sets the threshold', () => {
    const seenOnly = (w: MeldingWorkflow) =>
      drive(w, prepared(w, baseInput(), ['children']), [E.childContact(CHILD_8.id, { seen: true }), E.childContact(CHILD_4.id, { seen: true })]);
    const from4 = workflow({ childSpokenFromAge: 4 });
    expect(reasonsOf(proposeHandover(from4, seenOnly(from4))).map((r) => r.message)).toEqual([
      'child 1 (age 8) has not been spoken with and no reason is recorded',
      'child 2 (age 4) has not been spoken with and no reason is recorded',
    ]);
    const from9 = workflow({ childSpokenFromAge: 9 });
    expect(proposeHandover(from9, seenOnly(from9)).ok).toBe(true);
  });

  it('children are checked again at closure', () => {
    const p = drive(wf, prepared(wf, baseInput(), ['children']), [E.proposeDecision('VT-01-03', 'geen'), E.approveDecision(), E.feedback('na_beoordeling')]);
    expect(codesOf(wf.step(p, E.proposeClosure()))).toEqual(['CHILD_NOT_SEEN', 'CHILD_NOT_SPOKEN', 'CHILD_NOT_SEEN']);
  });
});

describe('guard FOUR_EYES', () => {
  describe.each<[MeldingEventType, MeldingState, () => ReturnType<typeof E.approveDecision>, MeldingState]>([
    ['DECISION_APPROVED', 'besluit_ter_goedkeuring', () => E.approveDecision({ actor: ANNA }), 'wacht_op_onderzoek'],
    ['ONDERZOEK_CONCLUSION_APPROVED', 'conclusie_ter_goedkeuring', () => E.approveConclusion({ actor: ANNA }) as never, 'afronding'],
    ['CLOSURE_APPROVED', 'afsluiting_ter_goedkeuring', () => E.approveClosure({ actor: ANNA }) as never, 'afgesloten'],
  ])('%s', (type, from, byProposer, to) => {
    it('the proposer is blocked', () => {
      const r = wf.step(reach[from](wf), byProposer());
      expect(!r.ok && r.code).toBe('GUARD_BLOCKED');
      expect(codesOf(r)).toEqual(['FOUR_EYES']);
    });

    it('another professional passes, whatever the role', () => {
      const p = reach[from](wf);
      expect(nextOf(wf.step(p, { ...byProposer(), actor: BRAM })).state).toBe(to);
      expect(nextOf(wf.step(p, { ...byProposer(), actor: CARLA })).state).toBe(to);
    });

    it('with fourEyes off the proposer may approve', () => {
      const solo = workflow({ fourEyes: false });
      const next = nextOf(solo.step(reach[from](solo), byProposer()));
      expect(next.state).toBe(to);
      expect(type).toMatch(/_APPROVED$/);
    });
  });
});

describe('guard CHAIN_PARTNER_MISSING', () => {
  const input = baseInput({ persons: [PARENT, CHILD_8, CHILD_4, ELDER] });
  const missing = () => prepared(wf, input, ['chainPartners']);

  it('blocks a handover while a vulnerable person has no chain partner', () => {
    expect(reasonsOf(proposeHandover(wf, missing()))).toEqual([
      { code: 'CHAIN_PARTNER_MISSING', message: 'vulnerable person 4 has no chain partner recorded, nor a reason why none' },
    ]);
  });

  it.each([[{ partner: 'wijkverpleging' }], [{ reasonNone: 'betrokkene weigert hulpverlening' }]])('%j satisfies it', (how) => {
    expect(proposeHandover(wf, drive(wf, missing(), [E.chainPartner(ELDER.id, how)])).ok).toBe(true);
  });

  it('blocks closure too', () => {
    const p = drive(wf, missing(), [E.proposeDecision('VT-01-03', 'geen'), E.approveDecision(), E.feedback('na_beoordeling')]);
    expect(codesOf(wf.step(p, E.proposeClosure()))).toEqual(['CHAIN_PARTNER_MISSING']);
  });

  it('is not asked for people who are not vulnerable', () => {
    expect(proposeHandover(wf, prepared(wf, baseInput(), ['chainPartners'])).ok).toBe(true);
  });
});

describe('guard INFORMAL_NETWORK_MISSING', () => {
  it('blocks a handover and a closure until the informal network is recorded', () => {
    const p = prepared(wf, baseInput(), ['network']);
    expect(codesOf(proposeHandover(wf, p))).toEqual(['INFORMAL_NETWORK_MISSING']);
    const afronding = drive(wf, p, [E.proposeDecision('VT-01-03', 'geen'), E.approveDecision(), E.feedback('na_beoordeling')]);
    expect(codesOf(wf.step(afronding, E.proposeClosure()))).toEqual(['INFORMAL_NETWORK_MISSING']);
    expect(wf.step(drive(wf, afronding, [E.informalNetwork()]), E.proposeClosure()).ok).toBe(true);
  });
});

describe('guard MONITORING_NOT_PLANNED', () => {
  const unplanned = () => prepared(wf, baseInput(), ['monitoring']);

  it.each<[DecisionCode, SafetyOutcome]>([
    ['VT-01-04', 'geen'],
    ['VT-01-02', 'structureel'],
    ['VT-02', 'acuut'],
  ])('%s with %s: monitoring will follow, so a contact must be planned', (code, safety) => {
    expect(codesOf(wf.step(unplanned(), E.proposeDecision(code, safety)))).toEqual(['MONITORING_NOT_PLANNED']);
    expect(wf.step(drive(wf, unplanned(), [E.planMonitoring()]), E.proposeDecision(code, safety)).ok).toBe(true);
  });

  it('not needed when no monitoring follows (VT-01-02 without unsafety; to the Raad)', () => {
    expect(proposeHandover(wf, unplanned()).ok).toBe(true);
    const onderzoek = drive(wf, unplanned(), [E.proposeDecision('VT-01-01', 'geen'), E.approveDecision(), E.startOnderzoek()]);
    expect(wf.step(onderzoek, E.proposeConclusion('raad_voor_de_kinderbescherming', 'structureel')).ok).toBe(true);
    expect(codesOf(wf.step(onderzoek, E.proposeConclusion('voorwaarden_en_vervolg', 'geen')))).toEqual(['MONITORING_NOT_PLANNED']);
  });

  it('a contact already held does not count as planned', () => {
    const m = reach.monitoring(wf);
    // The herbeoordeling is a new round: its own paperwork is recorded, all but a new monitoring contact.
    const back = drive(wf, m, [E.holdMonitoring(openContactId(m), 'herbeoordeling', { violenceStopped: false }), ...paperwork(baseInput(), ['monitoring'])]);
    expect(back.state).toBe('veiligheidsbeoordeling');
    expect(codesOf(wf.step(back, E.proposeDecision('VT-01-04', 'structureel')))).toEqual(['MONITORING_NOT_PLANNED']);
  });
});

describe('closure from monitoring: MONITORING_CONTACTS_OPEN / MONITORING_NOT_HELD / MONITORING_NOT_SAFE', () => {
  it('no contact held yet: the open contact and the missing held contact are both reported', () => {
    const p = drive(wf, reach.monitoring(wf), [E.feedback('na_beoordeling')]);
    const r = wf.step(p, E.proposeClosure());
    expect(reasonsOf(r)).toEqual([
      { code: 'MONITORING_CONTACTS_OPEN', message: '1 planned monitoring contact(s) have not been held' },
      { code: 'MONITORING_NOT_HELD', message: 'no monitoring contact has been held' },
    ]);
  });

  it('a further planned contact that is still open blocks', () => {
    const p = drive(wf, monitoredWell(wf), [E.planMonitoring()]);
    expect(codesOf(wf.step(p, E.proposeClosure()))).toEqual(['MONITORING_CONTACTS_OPEN']);
  });

  it('the last held contact must have found safety restored', () => {
    const m = reach.monitoring(wf);
    const p = drive(wf, m, [
      E.holdMonitoring(openContactId(m), 'herbeoordeling', { violenceStopped: false }),
      ...paperwork(baseInput()),
      E.proposeDecision('VT-01-04', 'structureel'),
      E.approveDecision(),
      E.confirmHandover(),
      E.feedback('na_beoordeling'),
    ]);
    expect(p.state).toBe('monitoring');
    expect(codesOf(wf.step(p, E.proposeClosure()))).toEqual(['MONITORING_CONTACTS_OPEN', 'MONITORING_NOT_SAFE']);
    const safe = drive(wf, p, [E.holdMonitoring(openContactId(p), 'doorgaan')]);
    expect(wf.step(safe, E.proposeClosure()).ok).toBe(true);
  });

  it('CLOSURE_APPROVED checks monitoring again when proposed from monitoring', () => {
    const p = drive(wf, monitoredWell(wf), [E.proposeClosure(), E.planMonitoring()]);
    expect(p.state).toBe('afsluiting_ter_goedkeuring');
    expect(codesOf(wf.step(p, E.approveClosure()))).toEqual(['MONITORING_CONTACTS_OPEN']);
  });

  it('closure from afronding does not look at monitoring contacts', () => {
    const p = drive(wf, reach.afronding(wf), [E.feedback('na_beoordeling')]);
    expect(p.context.monitoringContacts.filter((c) => c.heldAt === null)).toHaveLength(1);
    expect(wf.step(p, E.proposeClosure()).ok).toBe(true);
  });
});

describe('MONITORING_CONTACT_HELD', () => {
  it.each([[{ stepsCarriedOut: false }], [{ violenceStopped: false }], [{ safetyRestored: false }]])(
    "followUp 'doorgaan' with %j is blocked (MONITORING_NOT_SAFE)",
    (facts) => {
      const m = reach.monitoring(wf);
      expect(codesOf(wf.step(m, E.holdMonitoring(openContactId(m), 'doorgaan', facts)))).toEqual(['MONITORING_NOT_SAFE']);
    },
  );

  it("followUp 'herbeoordeling' goes back to veiligheidsbeoordeling as a new assessment", () => {
    const m = reach.monitoring(wf);
    const hold = E.holdMonitoring(openContactId(m), 'herbeoordeling', { violenceStopped: false });
    const p = nextOf(wf.step(m, hold));
    expect(p.state).toBe('veiligheidsbeoordeling');
    expect(p.context.assessmentCount).toBe(2);
    expect(p.context.assessmentStartedAt).toBe(hold.at);
    expect(p.context.monitoringContacts[0]).toMatchObject({ heldAt: hold.at, positive: false });
  });

  it("followUp 'onderzoek' goes to wacht_op_onderzoek as a new onderzoek, not yet started", () => {
    const viaOnderzoek = drive(wf, concluded(wf, 'voorwaarden_en_vervolg', 'structureel'), [E.confirmHandover()]);
    expect(viaOnderzoek.context.onderzoekCount).toBe(1);
    expect(viaOnderzoek.context.onderzoekStartedAt).not.toBeNull();
    const hold = E.holdMonitoring(openContactId(viaOnderzoek), 'onderzoek', { stepsCarriedOut: false });
    const p = nextOf(wf.step(viaOnderzoek, hold));
    expect(p.state).toBe('wacht_op_onderzoek');
    expect(p.context.onderzoekCount).toBe(2);
    expect(p.context.onderzoekStartedAt).toBeNull();
    expect(p.context.monitoringContacts[0]).toMatchObject({ heldAt: hold.at, positive: false });

    const start = E.startOnderzoek();
    const again = nextOf(wf.step(p, start));
    expect(again.state).toBe('onderzoek');
    expect(again.context.onderzoekCount).toBe(2);
    expect(again.context.onderzoekStartedAt).toBe(start.at);
  });

  it('UNKNOWN_CONTACT for a contact that was never planned', () => {
    expect(codesOf(wf.step(reach.monitoring(wf), E.holdMonitoring(NOT_ON_CASE, 'doorgaan')))).toEqual(['UNKNOWN_CONTACT']);
  });

  it('ALREADY_RECORDED for a contact held twice', () => {
    const m = reach.monitoring(wf);
    const id = openContactId(m);
    const p = drive(wf, m, [E.holdMonitoring(id, 'doorgaan')]);
    expect(codesOf(wf.step(p, E.holdMonitoring(id, 'doorgaan')))).toEqual(['ALREADY_RECORDED']);
  });
});

describe('feedback to the melder', () => {
  it('FEEDBACK_MISSING after the assessment blocks closure', () => {
    const r = wf.step(reach.afronding(wf), E.proposeClosure());
    expect(reasonsOf(r)).toEqual([{ code: 'FEEDBACK_MISSING', message: 'the melder has not been given feedback after the safety assessment' }]);
  });

  it('FEEDBACK_MISSING after the onderzoek blocks closure', () => {
    const p = concluded(wf, 'afsluiten', 'geen');
    expect(codesOf(wf.step(p, E.proposeClosure()))).toEqual(['FEEDBACK_MISSING', 'FEEDBACK_MISSING']);
    const r = wf.step(drive(wf, p, [E.feedback('na_beoordeling')]), E.proposeClosure());
    expect(reasonsOf(r)).toEqual([{ code: 'FEEDBACK_MISSING', message: 'the melder has not been given feedback after the onderzoek' }]);
    expect(wf.step(drive(wf, p, [E.feedback('na_beoordeling'), E.feedback('na_onderzoek')]), E.proposeClosure()).ok).toBe(true);
  });

  it('a new assessment owes the melder new feedback', () => {
    const m = monitoredWell(wf);
    const p = drive(wf, m, [E.planMonitoring()]);
    const back = drive(wf, p, [E.holdMonitoring(openContactId(p), 'herbeoordeling'), ...paperwork(baseInput(), ['monitoring']), E.proposeDecision('VT-01-03', 'geen'), E.approveDecision()]);
    expect(back.state).toBe('afronding');
    expect(codesOf(wf.step(back, E.proposeClosure()))).toEqual(['FEEDBACK_MISSING']);
  });

  it('is not required when the melder cannot be reached', () => {
    const w = wf;
    const input = baseInput({ melderReachable: false });
    const p = drive(w, prepared(w, input), [
      E.proposeDecision('VT-01-01', 'geen'),
      E.approveDecision(),
      E.startOnderzoek(),
      E.proposeConclusion('afsluiten', 'geen'),
      E.approveConclusion(),
      E.proposeClosure(),
      E.approveClosure(),
    ]);
    expect(p.state).toBe('afgesloten');
  });

  it.each(['na_beoordeling', 'na_onderzoek'] as const)('MELDER_UNREACHABLE: %s cannot be given to an unreachable melder', (moment) => {
    const p = drive(wf, prepared(wf, baseInput({ melderReachable: false })), [E.proposeDecision('VT-01-01', 'geen'), E.approveDecision()]);
    expect(codesOf(wf.step(p, E.feedback(moment)))).toEqual(['MELDER_UNREACHABLE']);
  });

  it.each<[MeldingState, 'na_beoordeling' | 'na_onderzoek']>([
    ['veiligheidsbeoordeling', 'na_beoordeling'],
    ['besluit_ter_goedkeuring', 'na_beoordeling'],
    ['wacht_op_onderzoek', 'na_onderzoek'],
    ['onderzoek', 'na_onderzoek'],
    ['conclusie_ter_goedkeuring', 'na_onderzoek'],
    ['afronding', 'na_onderzoek'],
  ])('TOO_EARLY in %s: %s', (state, moment) => {
    expect(codesOf(wf.step(reach[state](wf), E.feedback(moment)))).toEqual(['TOO_EARLY']);
  });

  it('accepted once the moment has come', () => {
    expect(nextOf(wf.step(reach.wacht_op_onderzoek(wf), E.feedback('na_beoordeling'))).context.feedback.naBeoordeling).not.toBeNull();
    expect(nextOf(wf.step(reach.onderzoek(wf), E.feedback('na_beoordeling'))).context.feedback.naBeoordeling).not.toBeNull();
    const after = concluded(wf, 'overdracht', 'geen');
    const give = E.feedback('na_onderzoek');
    expect(nextOf(wf.step(after, give)).context.feedback.naOnderzoek).toBe(give.at);
  });
});

describe('record-keeping guards', () => {
  it('NOT_ACUTE: no acute action on a melding not registered as acute danger', () => {
    expect(codesOf(wf.step(wf.start(baseInput()), E.acuteAction()))).toEqual(['NOT_ACUTE']);
  });

  it('ALREADY_RECORDED: the acute action is recorded once', () => {
    const start = E.acuteAction();
    const p = nextOf(wf.step(wf.start(baseInput({ acuteDanger: true })), start));
    expect(p.context.acuteActionStartedAt).toBe(start.at);
    expect(codesOf(wf.step(p, E.acuteAction()))).toEqual(['ALREADY_RECORDED']);
  });

});

describe('the acute path: acute unsafety at any moment of a case', () => {
  it.each<MeldingState>(['veiligheidsbeoordeling', 'wacht_op_onderzoek', 'onderzoek', 'monitoring'])('established in %s, it makes the case acute from that moment; then the action can start', (state) => {
    const before = reach[state](wf);
    expect(codesOf(wf.step(before, E.acuteAction()))).toEqual(['NOT_ACUTE']);
    const established = E.acuteEstablished();
    const p = nextOf(wf.step(before, established));
    expect(p.state).toBe(state);
    expect(p.context).toMatchObject({ acuteDanger: true, acuteCount: 1, acuteEstablishedAt: established.at, acuteActionStartedAt: null });
    expect(codesOf(wf.step(p, E.acuteEstablished()))).toEqual(['ALREADY_ACUTE']);
    const action = E.acuteAction();
    const q = nextOf(wf.step(p, action));
    expect(q.context.acuteActionStartedAt).toBe(action.at);
    // Once the action runs, acute unsafety can be established again (a second acute term).
    expect(nextOf(wf.step(q, E.acuteEstablished())).context).toMatchObject({ acuteCount: 2, acuteActionStartedAt: null });
  });

  it('an assessment decided as acute establishes acute unsafety at its approval, unless it was established since the assessment began', () => {
    const approve = E.approveDecision();
    const decided = drive(wf, prepared(wf), [E.proposeDecision('VT-01-01', 'acuut'), approve]);
    expect(decided.context).toMatchObject({ acuteDanger: true, acuteCount: 1, acuteEstablishedAt: approve.at });
    const registeredAcute = drive(wf, prepared(wf, baseInput({ acuteDanger: true })), [E.proposeDecision('VT-01-01', 'acuut'), E.approveDecision()]);
    expect(registeredAcute.context).toMatchObject({ acuteCount: 1, acuteEstablishedAt: baseInput().receivedAt });
  });

  it('an onderzoek concluded as acute establishes it at the approval of the conclusion', () => {
    const approve = E.approveConclusion();
    const p = drive(wf, reach.onderzoek(wf), [E.proposeConclusion('overdracht', 'acuut'), approve]);
    expect(p.context).toMatchObject({ acuteCount: 1, acuteEstablishedAt: approve.at });
  });
});

describe('record-keeping guards (continued)', () => {
  it.each([
    ['a person not on the case', NOT_ON_CASE],
    ['a parent', PARENT.id],
  ])('UNKNOWN_CHILD: a child contact with %s', (_label, personId) => {
    expect(codesOf(wf.step(wf.start(baseInput()), E.childContact(personId, { seen: true })))).toEqual(['UNKNOWN_CHILD']);
  });

  it('EMPTY_CONTACT: a child contact that records nothing', () => {
    expect(codesOf(wf.step(wf.start(baseInput()), E.childContact(CHILD_8.id, {})))).toEqual(['EMPTY_CONTACT']);
    expect(wf.step(wf.start(baseInput()), E.childContact(CHILD_8.id, { reasonNotSeen: 'niet bereikbaar' })).ok).toBe(true);
  });

  it('UNKNOWN_PERSON: a chain partner for someone not on the case', () => {
    expect(codesOf(wf.step(wf.start(baseInput()), E.chainPartner(NOT_ON_CASE)))).toEqual(['UNKNOWN_PERSON']);
  });

  it('PERSON_ADDED adds the person to the case', () => {
    const p = nextOf(wf.step(wf.start(baseInput()), E.personAdded(ELDER)));
    expect(p.context.persons).toContainEqual(ELDER);
    expect(wf.step(p, E.chainPartner(ELDER.id)).ok).toBe(true);
  });
});

describe('guard DECISION_CONTRADICTS_SAFETY', () => {
  it.each(['acuut', 'structureel'] as const)('VT-01-03 (no further steps) is refused with %s unsafety', (safety) => {
    expect(codesOf(wf.step(prepared(wf), E.proposeDecision('VT-01-03', safety)))).toEqual(['DECISION_CONTRADICTS_SAFETY']);
  });
});

describe('purity and persistence', () => {
  const probes: Array<[MeldingState, (p: PersistedMelding) => ReturnType<typeof oneOfEach>[MeldingEventType]]> = [
    ['veiligheidsbeoordeling', () => E.proposeDecision('VT-01-04', 'structureel')],
    ['besluit_ter_goedkeuring', () => E.approveDecision()],
    ['besluit_ter_goedkeuring', () => E.approveDecision({ actor: ANNA })],
    ['wacht_op_onderzoek', () => E.startOnderzoek()],
    ['conclusie_ter_goedkeuring', () => E.approveConclusion()],
    ['overdracht', () => E.confirmHandover()],
    ['monitoring', (p) => E.holdMonitoring(openContactId(p), 'herbeoordeling')],
    ['afsluiting_ter_goedkeuring', () => E.rejectClosure()],
    ['afgesloten', () => E.note()],
  ];

  it.each(probes)('in %s: a JSON-roundtripped snapshot steps exactly like the original', (state, make) => {
    const p = reach[state](wf);
    const copy = JSON.parse(JSON.stringify(p)) as PersistedMelding;
    expect(copy).toEqual(p);
    const event = make(p);
    expect(wf.step(copy, event)).toEqual(wf.step(p, event));
  });

  it('step does not mutate the stored snapshot or the event (accepted and refused steps alike)', () => {
    let p = deepFreeze(wf.start(baseInput({ persons: [PARENT, CHILD_8, CHILD_4, ELDER] })));
    const events = [
      E.note(),
      E.personAdded({ ...CHILD_4, id: '00000000-0000-4000-8000-0000000000c3' }),
      E.childContact('00000000-0000-4000-8000-0000000000c3', { seen: true }),
      ...[CHILD_8, CHILD_4].map((c) => E.childContact(c.id, { seen: true, spoken: true })),
      E.childContact(CHILD_8.id, { seen: true }),
      E.chainPartner(ELDER.id),
      E.safetyPlan(),
      E.informalNetwork(),
      E.planMonitoring(),
      E.proposeDecision('VT-01-01', 'structureel'),
      E.approveDecision({ actor: ANNA }), // refused
      E.approveDecision(),
      E.proposeConclusion('voorwaarden_en_vervolg', 'structureel'), // refused: not started
      E.startOnderzoek(),
      E.startOnderzoek(), // refused: started already
      E.proposeConclusion('voorwaarden_en_vervolg', 'structureel'),
      E.approveConclusion(),
      E.confirmHandover(),
      E.feedback('na_beoordeling'),
      E.feedback('na_onderzoek'),
      E.proposeClosure(), // refused: monitoring not held
    ];
    for (const event of events) {
      const before = structuredClone(p);
      const frozenEvent = deepFreeze(event);
      const eventBefore = structuredClone(event);
      const r = wf.step(p, frozenEvent);
      expect(p).toEqual(before);
      expect(event).toEqual(eventBefore);
      if (r.ok) p = deepFreeze(r.next);
    }
    expect(p.state).toBe('monitoring');
  });

  it('start is deterministic', () => {
    expect(wf.start(baseInput())).toEqual(wf.start(baseInput()));
  });

  /** What version 3 stored: neither rounds nor the per-person duties (art. 4.1.8, 4.2.4, safety per member). */
  const asV3 = (p: PersistedMelding): PersistedMelding => {
    const { firstContactInformation: _info, vertrouwenspersoonInformation: _vp, memberSafety: _safety, ...rest } = asV4(p).context;
    return { ...p, version: 3, context: rest as unknown as PersistedMelding['context'] };
  };

  /** What version 2 stored: no word on whether a chain partner or a reason was recorded, nor whether the network was involved. */
  const asV2 = (p: PersistedMelding): PersistedMelding => {
    const { informalNetworkInvolved: _involved, acuteCount: _count, acuteEstablishedAt: _established, chainPartners, ...rest } = asV3(p).context;
    const context = { ...rest, chainPartners: Object.fromEntries(Object.entries(chainPartners).map(([id, c]) => [id, { at: c.at }])) };
    return { ...p, version: 2, context: context as unknown as PersistedMelding['context'] };
  };
  /** What a version-2 snapshot becomes: the same, with those records carried over as unknown, and no plan van aanpak recorded. */
  const carried = (p: PersistedMelding): PersistedMelding => ({
    ...p,
    version: MELDING_MACHINE_VERSION,
    context: {
      ...p.context,
      firstContactInformation: {},
      vertrouwenspersoonInformation: {},
      memberSafety: {},
      chainPartners: Object.fromEntries(Object.entries(p.context.chainPartners).map(([id, c]) => [id, { at: c.at, round: c.round, partner: null }])),
      informalNetworkInvolved: null,
      acuteCount: p.context.acuteDanger ? 1 : 0,
      acuteEstablishedAt: p.context.acuteDanger ? p.context.receivedAt : null,
      planVanAanpak: null,
      // Before version 6 no outcome per type of violence was recorded.
      onderzoekOutcomes: null,
      proposal: p.context.proposal === null ? null : { ...p.context.proposal, outcomes: null },
    },
  });

  it('migrateSnapshot accepts the current version (6) unchanged', () => {
    const p = reach.onderzoek(wf);
    expect(p.version).toBe(6);
    expect(migrateSnapshot(p)).toEqual(p);
    const waiting = reach.wacht_op_onderzoek(wf);
    expect(migrateSnapshot(waiting)).toEqual(waiting);
  });

  describe('version-1 snapshots (no wacht_op_onderzoek: an onderzoek started at its decision)', () => {
    /** What version 1 stored for an onderzoek decided and started at the approval. */
    const v1Onderzoek = (o: PersistedMelding = reach.onderzoek(wf)): PersistedMelding => {
      const p = asV2(o);
      return { ...p, version: 1, context: { ...p.context, onderzoekStartedAt: p.context.decision!.approvedAt } };
    };

    it('an onderzoek migrates to the current version with the same state and context (v2 records carried over as unknown, all in round 1)', () => {
      const o = reach.onderzoek(wf);
      const v1 = deepFreeze(v1Onderzoek(o));
      const migrated = migrateSnapshot(v1);
      expect(migrated).toEqual(carried({ ...o, context: { ...o.context, onderzoekStartedAt: v1.context.onderzoekStartedAt } }));
      expect(migrated.context.onderzoekStartedAt).toBe(v1.context.decision!.approvedAt);
    });

    it('the migrated onderzoek continues: a conclusion can be proposed and approved, ONDERZOEK_STARTED is not allowed', () => {
      const v1 = v1Onderzoek();
      const proposed = nextOf(wf.step(v1, E.proposeConclusion('afsluiten', 'geen')));
      expect(proposed).toMatchObject({ version: MELDING_MACHINE_VERSION, state: 'conclusie_ter_goedkeuring' });
      expect(proposed.context.onderzoekStartedAt).toBe(v1.context.onderzoekStartedAt);
      expect(drive(wf, proposed, [E.approveConclusion()]).state).toBe('afronding');
      const r = wf.step(v1, E.startOnderzoek());
      expect(!r.ok && r.code).toBe('EVENT_NOT_ALLOWED');
    });

    it.each<MeldingState>(['veiligheidsbeoordeling', 'besluit_ter_goedkeuring', 'conclusie_ter_goedkeuring', 'overdracht', 'monitoring', 'afronding', 'afgesloten'])(
      'in %s migrates to the current version unchanged apart from the version and the v2 records, and steps like a current snapshot',
      (state) => {
        const v3 = reach[state](wf);
        const v1 = { ...asV2(v3), version: 1 };
        expect(migrateSnapshot(v1)).toEqual(carried(v3));
        const note = E.note();
        expect(wf.step(v1, note)).toEqual(wf.step(carried(v3), note));
      },
    );
  });

  describe('version-2 snapshots (a chain partner or the network recorded without saying whether it was a reason)', () => {
    it.each<MeldingState>(['veiligheidsbeoordeling', 'besluit_ter_goedkeuring', 'overdracht', 'monitoring', 'afgesloten'])('in %s migrates with those records as unknown', (state) => {
      const v3 = reach[state](wf);
      const v2 = deepFreeze(asV2(v3));
      const migrated = migrateSnapshot(v2);
      expect(migrated).toEqual(carried(v3));
      expect(Object.values(migrated.context.chainPartners).every((c) => c.partner === null)).toBe(true);
    });

    it('a migrated case still meets the guards (the record is there) and steps on at the current version', () => {
      const input = baseInput({ persons: [PARENT, CHILD_8, ELDER] });
      const v2 = asV2(prepared(wf, input));
      expect(Object.keys(v2.context.chainPartners)).toEqual([ELDER.id]);
      const proposed = nextOf(wf.step(v2, E.proposeDecision('VT-01-02', 'structureel')));
      expect(proposed.version).toBe(MELDING_MACHINE_VERSION);
      expect(proposed.context.chainPartners[ELDER.id]).toMatchObject({ partner: null });
      expect(proposed.context.informalNetworkInvolved).toBeNull();
      expect(drive(wf, proposed, [E.approveDecision()]).state).toBe('overdracht');
    });

    it('a version-3 record says which it was', () => {
      const p = drive(wf, wf.start(baseInput({ persons: [PARENT, ELDER] })), [E.chainPartner(ELDER.id, { reasonNone: 'weigert' }), E.informalNetwork()]);
      expect(p.context.chainPartners[ELDER.id]).toMatchObject({ partner: false });
      expect(p.context.informalNetworkInvolved).toBe(true);
    });
  });

  describe('version-3 snapshots (no per-person duties recorded)', () => {
    it.each<MeldingState>(['veiligheidsbeoordeling', 'wacht_op_onderzoek', 'overdracht', 'monitoring', 'afgesloten'])('in %s migrates with none recorded, and steps on', (state) => {
      const v4 = reach[state](wf);
      const v3 = deepFreeze(asV3(v4));
      expect(migrateSnapshot(v3)).toEqual(v4);
      const note = E.note();
      expect(wf.step(v3, note)).toEqual(wf.step(v4, note));
    });

    it('a migrated case takes the new records at once', () => {
      const v3 = asV3(wf.start(baseInput({ persons: [PARENT, CHILD_8] })));
      const p = drive(wf, v3, [E.firstContactInformation(PARENT.id), E.memberSafety(CHILD_8.id, { safety: 'geen' })]);
      expect(p.version).toBe(MELDING_MACHINE_VERSION);
      expect(p.context.firstContactInformation[PARENT.id]).toMatchObject({ given: true });
      expect(p.context.memberSafety[CHILD_8.id]).toMatchObject({ safety: 'geen' });
    });
  });

  it('migrateSnapshot rejects a newer version (7)', () => {
    const p = { ...reach.onderzoek(wf), version: 7 };
    expect(() => migrateSnapshot(p)).toThrow(/newer/);
    expect(() => wf.step(p, E.note())).toThrow(/newer/);
    expect(() => wf.available(p, ANNA, '2024-06-04T09:00:00.000Z')).toThrow(/newer/);
  });

  it('migrateSnapshot rejects a foreign machine id', () => {
    const p = { ...reach.onderzoek(wf), machine: 'advies' } as unknown as PersistedMelding;
    expect(() => migrateSnapshot(p)).toThrow(/not a melding snapshot/);
    expect(() => wf.step(p, E.note())).toThrow(/not a melding snapshot/);
  });
});

describe('available()', () => {
  const AT = '2024-06-04T09:00:00.000Z';

  it('lists ONDERZOEK_CONCLUSION_PROPOSED in onderzoek, and not what belongs to other states', () => {
    const a = wf.available(reach.onderzoek(wf), ANNA, AT);
    expect(a.allowed).toContain('ONDERZOEK_CONCLUSION_PROPOSED');
    expect(a.allowed).toContain('NOTE_ADDED');
    expect(a.allowed).not.toContain('DECISION_PROPOSED');
    expect(a.allowed).not.toContain('CLOSURE_PROPOSED');
  });

  it('lists ONDERZOEK_STARTED in wacht_op_onderzoek for anyone, and not the conclusion', () => {
    for (const actor of [ANNA, BRAM]) {
      const a = wf.available(reach.wacht_op_onderzoek(wf), actor, AT);
      expect(a.allowed).toContain('ONDERZOEK_STARTED');
      expect(a.allowed).toContain('NOTE_ADDED');
      expect(a.allowed).not.toContain('ONDERZOEK_CONCLUSION_PROPOSED');
      expect(a.blocked.map((b) => b.type)).not.toContain('ONDERZOEK_STARTED');
      expect(a.blocked.find((b) => b.type === 'MELDER_FEEDBACK_GIVEN')).toBeUndefined();
    }
    const inOnderzoek = wf.available(reach.onderzoek(wf), ANNA, AT);
    expect([...inOnderzoek.allowed, ...inOnderzoek.blocked.map((b) => b.type)]).not.toContain('ONDERZOEK_STARTED');
  });

  it('lists DECISION_APPROVED as blocked with FOUR_EYES for the proposer, allowed for someone else', () => {
    const p = reach.besluit_ter_goedkeuring(wf);
    const forProposer = wf.available(p, ANNA, AT);
    expect(forProposer.allowed).not.toContain('DECISION_APPROVED');
    expect(forProposer.blocked.find((b) => b.type === 'DECISION_APPROVED')?.reasons.map((r) => r.code)).toEqual(['FOUR_EYES']);
    expect(forProposer.allowed).toContain('DECISION_REJECTED');

    const forOther = wf.available(p, BRAM, AT);
    expect(forOther.allowed).toContain('DECISION_APPROVED');
    expect(forOther.blocked.map((b) => b.type)).not.toContain('DECISION_APPROVED');
  });

  it('lists closure as blocked with its reasons while monitoring is open', () => {
    const a = wf.available(reach.monitoring(wf), ANNA, AT);
    expect(a.blocked.find((b) => b.type === 'CLOSURE_PROPOSED')?.reasons.map((r) => r.code)).toEqual(
      expect.arrayContaining(['MONITORING_CONTACTS_OPEN', 'MONITORING_NOT_HELD', 'FEEDBACK_MISSING']),
    );
    expect(a.blocked.find((b) => b.type === 'ACUTE_ACTION_STARTED')?.reasons.map((r) => r.code)).toEqual(['NOT_ACUTE']);
  });

  it.each(FINAL_STATES)('lists nothing in final state %s', (state) => {
    expect(wf.available(reach[state](wf), BRAM, AT)).toEqual({ allowed: [], blocked: [] });
  });
});
