/**
 * Rounds (machine version 5): a herbeoordeling, a return from monitoring or a new onderzoek starts a new round, and
 * child contacts, the safety plan, the informal network and chain partners count only in the round they were recorded
 * in, or after an explicit confirmation that an earlier fact still holds. Also: version-3 snapshots migrate with their
 * rounds reconstructed, and the four-eyes rule names who may approve.
 */
import { migrateSnapshot } from '../../workflows/melding';
import { leavingFacts } from '../../workflows/reporting/quality';
import { ANNA, BRAM, CHILD_4, CHILD_8, DEFAULT_SETTINGS, E, ELDER, PARENT, asV4, baseInput, codesOf, drive, nextOf, openContactId, paperwork, prepared, workflow } from './melding.fixtures';

const wf = workflow();
const input = baseInput({ persons: [PARENT, CHILD_8, CHILD_4, ELDER] });

/** Round 1 done: a handover with conditions, confirmed, into monitoring; the single contact still open. */
const monitoring = () => drive(wf, prepared(wf, input), [E.proposeDecision('VT-01-04', 'structureel'), E.approveDecision(), E.confirmHandover()]);
/** Round 2: a monitoring contact that found the violence not stopped sends the case to a herbeoordeling. */
const herbeoordeling = () => {
  const m = monitoring();
  return drive(wf, m, [E.holdMonitoring(openContactId(m), 'herbeoordeling', { violenceStopped: false })]);
};

describe('rounds', () => {
  it('a case starts in round 1; every fact recorded is stamped with the round', () => {
    const p = prepared(wf, input);
    expect(p.context).toMatchObject({ round: 1, roundStartedAt: input.receivedAt, safetyPlanRound: 1, informalNetworkRound: 1 });
    expect(p.context.childContacts[CHILD_8.id]).toMatchObject({ round: 1, seen: true });
    expect(p.context.chainPartners[ELDER.id]).toMatchObject({ round: 1, partner: true });
  });

  it('a herbeoordeling from monitoring starts round 2, and round 1 facts do not meet its guards', () => {
    const m = monitoring();
    const contact = E.holdMonitoring(openContactId(m), 'herbeoordeling', { violenceStopped: false });
    const back = drive(wf, m, [contact]);
    expect(back.state).toBe('veiligheidsbeoordeling');
    expect(back.context).toMatchObject({ round: 2, roundStartedAt: contact.at, assessmentCount: 2 });
    // Everything from round 1 is still there, but belongs to round 1.
    expect(back.context.childContacts[CHILD_8.id]).toMatchObject({ round: 1, seen: true });
    expect(codesOf(wf.step(back, E.proposeDecision('VT-01-04', 'structureel')))).toEqual([
      'SAFETY_PLAN_MISSING',
      'CHILD_NOT_SEEN',
      'CHILD_NOT_SPOKEN',
      'CHILD_NOT_SEEN',
      'CHAIN_PARTNER_MISSING',
      'INFORMAL_NETWORK_MISSING',
      'MONITORING_NOT_PLANNED',
    ]);
    // Round 2's own facts meet them.
    const redone = drive(wf, back, paperwork(input));
    expect(redone.context.childContacts[CHILD_8.id]).toMatchObject({ round: 2 });
    expect(wf.step(redone, E.proposeDecision('VT-01-04', 'structureel')).ok).toBe(true);
  });

  it('a round-2 contact starts afresh: what was seen in round 1 is not merged into it', () => {
    const back = herbeoordeling();
    const p = drive(wf, back, [E.childContact(CHILD_8.id, { spoken: true })]);
    expect(p.context.childContacts[CHILD_8.id]).toMatchObject({ round: 2, seen: false, spoken: true });
    // Child 1 was spoken with in round 2 but not seen in it; child 2 (4) has no round-2 contact at all.
    expect(codesOf(wf.step(p, E.proposeDecision('VT-01-02', 'geen')))).toEqual(['CHILD_NOT_SEEN', 'CHILD_NOT_SEEN', 'CHAIN_PARTNER_MISSING', 'INFORMAL_NETWORK_MISSING']);
  });

  it('FACT_CONFIRMED_STILL_VALID carries an earlier fact into this round, marked as confirmed', () => {
    const back = herbeoordeling();
    const confirmed = drive(wf, back, [
      E.confirmFact('child_contact', CHILD_8.id),
      E.confirmFact('child_contact', CHILD_4.id),
      E.confirmFact('safety_plan'),
      E.confirmFact('informal_network'),
      E.confirmFact('chain_partner', ELDER.id),
      E.planMonitoring(),
    ]);
    expect(confirmed.context.childContacts[CHILD_8.id]).toMatchObject({ round: 2, confirmed: true, seen: true, spoken: true });
    expect(confirmed.context).toMatchObject({ safetyPlanRound: 2, informalNetworkRound: 2 });
    expect(confirmed.context.chainPartners[ELDER.id]).toMatchObject({ round: 2, confirmed: true, partner: true });
    expect(wf.step(confirmed, E.proposeDecision('VT-01-04', 'structureel')).ok).toBe(true);
    // Confirmed facts count as what they were in the leaving figures of round 2.
    const left = drive(wf, confirmed, [E.proposeDecision('VT-01-04', 'structureel'), E.approveDecision()]);
    const facts = leavingFacts({ caseId: 'c', context: left.context, leftAt: '2024-06-10T10:00:00.000Z', closure: null }, DEFAULT_SETTINGS);
    expect(facts).toMatchObject({ round: 2, safetyPlan: true, childrenSeen: 2, vulnerableWithChainPartner: 1, informalNetwork: true });
  });

  it('FACT_CONFIRMED_STILL_VALID needs an earlier fact that is not already of this round', () => {
    const fresh = wf.start(input);
    expect(codesOf(wf.step(fresh, E.confirmFact('safety_plan')))).toEqual(['NOTHING_TO_CONFIRM']);
    expect(codesOf(wf.step(fresh, E.confirmFact('child_contact', CHILD_8.id)))).toEqual(['NOTHING_TO_CONFIRM']);
    expect(codesOf(wf.step(fresh, E.confirmFact('child_contact', PARENT.id)))).toEqual(['UNKNOWN_CHILD']);
    expect(codesOf(wf.step(fresh, E.confirmFact('chain_partner', '00000000-0000-4000-8000-00000000dead')))).toEqual(['UNKNOWN_PERSON']);
    expect(codesOf(wf.step(prepared(wf, input), E.confirmFact('informal_network')))).toEqual(['ALREADY_CURRENT']);
    const back = drive(wf, herbeoordeling(), [E.confirmFact('safety_plan')]);
    expect(codesOf(wf.step(back, E.confirmFact('safety_plan')))).toEqual(['ALREADY_CURRENT']);
  });

  it('a return from monitoring into an onderzoek starts a new round, with its own onderzoek and plan', () => {
    const m = monitoring();
    const p = drive(wf, m, [E.holdMonitoring(openContactId(m), 'onderzoek', { stepsCarriedOut: false })]);
    expect(p).toMatchObject({ state: 'wacht_op_onderzoek', context: { round: 2, onderzoekCount: 1, onderzoekRound: 2, planVanAanpak: null } });
    const started = nextOf(wf.step(p, E.startOnderzoek()));
    expect(started.context.planVanAanpak).toMatchObject({ round: 2, made: true });
    expect(codesOf(wf.step(started, E.proposeConclusion('voorwaarden_en_vervolg', 'structureel')))).toContain('CHILD_NOT_SEEN');
  });

  it('an onderzoek decided at a herbeoordeling belongs to that round (it does not start another)', () => {
    // Round 1: onderzoek, handover, monitoring; round 2: herbeoordeling decides a new onderzoek (still round 2).
    const first = drive(wf, prepared(wf, input), [E.proposeDecision('VT-01-01', 'structureel'), E.approveDecision(), E.startOnderzoek()]);
    expect(first.context).toMatchObject({ round: 1, onderzoekRound: 1 });
    const monitored = drive(wf, first, [E.proposeConclusion('voorwaarden_en_vervolg', 'structureel'), E.approveConclusion(), E.confirmHandover()]);
    const back = drive(wf, monitored, [E.holdMonitoring(openContactId(monitored), 'herbeoordeling', { safetyRestored: false }), ...paperwork(input)]);
    const second = drive(wf, back, [E.proposeDecision('VT-01-01', 'structureel'), E.approveDecision()]);
    expect(second.context).toMatchObject({ round: 2, onderzoekCount: 2, onderzoekRound: 2 });
  });

  it('every rule of the round applies after a herbeoordeling too (the network recorded in round 1 only)', () => {
    const back = drive(wf, herbeoordeling(), paperwork(input).filter((e) => e.type !== 'INFORMAL_NETWORK_RECORDED'));
    expect(codesOf(wf.step(back, E.proposeDecision('VT-01-04', 'structureel')))).toEqual(['INFORMAL_NETWORK_MISSING']);
  });
});

describe('version-4 snapshots (no rounds)', () => {

  it('a round-1 case migrates to exactly what version 5 holds (no plan van aanpak recorded)', () => {
    const onderzoek = drive(wf, prepared(wf, input), [E.proposeDecision('VT-01-01', 'structureel'), E.approveDecision(), E.startOnderzoek()]);
    expect(migrateSnapshot(asV4(onderzoek))).toEqual({ ...onderzoek, context: { ...onderzoek.context, planVanAanpak: null } });
    const m = monitoring();
    expect(migrateSnapshot(asV4(m))).toEqual(m);
  });

  it('a case back from monitoring migrates into round 2, its facts in the round they were recorded in', () => {
    const back = drive(wf, herbeoordeling(), [E.childContact(CHILD_8.id, { seen: true, spoken: true })]);
    const migrated = migrateSnapshot(asV4(back));
    expect(migrated).toEqual(back);
    expect(migrated.context).toMatchObject({ round: 2, safetyPlanRound: 1 });
    expect(migrated.context.childContacts[CHILD_8.id]!.round).toBe(2);
    expect(migrated.context.childContacts[CHILD_4.id]!.round).toBe(1);
    // And the guards of round 2 hold for it as for a version-5 case.
    const probe = E.proposeDecision('VT-01-02', 'geen');
    expect(codesOf(wf.step(migrated, probe))).toEqual(codesOf(wf.step(back, probe)));
    expect(codesOf(wf.step(migrated, probe))).toEqual(['CHILD_NOT_SEEN', 'CHAIN_PARTNER_MISSING', 'INFORMAL_NETWORK_MISSING']);
  });

  it('a positive contact that led back to an assessment counts as a return too', () => {
    const m = monitoring();
    const back = drive(wf, m, [E.holdMonitoring(openContactId(m), 'herbeoordeling')]);
    expect(back.context.monitoringContacts[0]!.positive).toBe(true);
    expect(migrateSnapshot(asV4(back))).toEqual(back);
  });

  it('version-4 cases step on at version 6', () => {
    const r = wf.step(asV4(herbeoordeling()), E.safetyPlan());
    expect(nextOf(r)).toMatchObject({ version: 6, context: { round: 2, safetyPlanRound: 2 } });
  });
});

describe('who may approve (FOUR_EYES_APPROVERS)', () => {
  const proposed = () => drive(wf, prepared(wf, input), [E.proposeDecision('VT-01-04', 'structureel')]);
  const GW = { id: 'staff-gw', role: 'medewerker', discipline: 'gedragswetenschapper' } as const;

  it('unset: any second professional; set: only the roles or disciplines it names', () => {
    expect(wf.step(proposed(), E.approveDecision({ actor: BRAM })).ok).toBe(true);
    const strict = workflow({ approvers: ['teamleider', 'gedragswetenschapper'] });
    const p = proposed();
    expect(strict.step(p, E.approveDecision({ actor: BRAM })).ok).toBe(true);
    expect(strict.step(p, E.approveDecision({ actor: GW })).ok).toBe(true);
    expect(codesOf(strict.step(p, E.approveDecision({ actor: { id: 'staff-carla', role: 'medewerker' } })))).toEqual(['APPROVER_NOT_ALLOWED']);
    // The proposer is refused as ever, whatever their role.
    expect(codesOf(strict.step(p, E.approveDecision({ actor: ANNA })))).toEqual(['FOUR_EYES']);
  });

  it('applies to conclusions and closures alike, and not at all without the four-eyes rule', () => {
    const strict = workflow({ approvers: ['teamleider'] });
    const concluding = drive(strict, prepared(strict, input), [E.proposeDecision('VT-01-01', 'geen'), E.approveDecision(), E.startOnderzoek(), E.proposeConclusion('afsluiten', 'geen')]);
    expect(codesOf(strict.step(concluding, E.approveConclusion({ actor: { id: 'staff-carla', role: 'medewerker' } })))).toEqual(['APPROVER_NOT_ALLOWED']);
    const loose = workflow({ approvers: ['teamleider'], fourEyes: false });
    expect(loose.step(concluding, E.approveConclusion({ actor: ANNA })).ok).toBe(true);
  });
});
