/**
 * The per-person facts of machine v4: information given at the first contact (Uitvoeringsbesluit Wmo 2015 art. 4.1.8),
 * the vertrouwenspersoon made known (art. 4.2.4) and the safety assessed per member of the household; their guards,
 * what the case keeps of them, and how they count in the leaving facts (met, justified, missing).
 */
import { meldingCommandSchemas, type CasePerson } from '../../workflows/melding';
import { HOUSEHOLD_ROLES, PERSON_ROLES } from '../../workflows/reference';
import { LEAVING_FIGURES, leavingFacts } from '../../workflows/reporting/quality';
import { baseInput, CHILD_8, codesOf, drive, E, ELDER, NOT_ON_CASE, nextOf, PARENT, reasonsOf, uuid, workflow } from './melding.fixtures';

const wf = workflow();
const EX: CasePerson = { id: uuid(0xe7), role: 'ex_partner', birthDate: '1985-01-01', vulnerable: false };
const start = () => wf.start(baseInput({ persons: [PARENT, CHILD_8, ELDER, EX] }));
const facts = (p: ReturnType<typeof start>) => leavingFacts({ caseId: 'c', context: p.context, leftAt: '2024-06-10T10:00:00.000Z', closure: null }, wf.settings);

describe('payloads', () => {
  it.each(['FIRST_CONTACT_INFORMATION_RECORDED', 'VERTROUWENSPERSOON_INFORMATION_RECORDED'] as const)('%s takes exactly one of givenOn and reasonNotGiven', (type) => {
    const schema = meldingCommandSchemas[type];
    expect(schema.safeParse({ personId: PARENT.id, givenOn: '2024-06-03' }).success).toBe(true);
    expect(schema.safeParse({ personId: PARENT.id, reasonNotGiven: 'geen contact mogelijk' }).success).toBe(true);
    const both = schema.safeParse({ personId: PARENT.id, givenOn: '2024-06-03', reasonNotGiven: 'x' });
    const neither = schema.safeParse({ personId: PARENT.id });
    for (const r of [both, neither]) {
      expect(r.success).toBe(false);
      expect(r.error?.issues[0]).toMatchObject({ path: ['givenOn'], message: "give exactly one of 'givenOn' and 'reasonNotGiven'" });
    }
    expect(schema.safeParse({ personId: PARENT.id, givenOn: '1999-12-31' }).success).toBe(false);
    expect(schema.safeParse({ personId: PARENT.id, reasonNotGiven: '   ' }).success).toBe(false);
  });

  it('MEMBER_SAFETY_ASSESSED takes exactly one of a safety outcome and a reason', () => {
    const schema = meldingCommandSchemas.MEMBER_SAFETY_ASSESSED;
    expect(schema.safeParse({ personId: CHILD_8.id, safety: 'structureel' }).success).toBe(true);
    expect(schema.safeParse({ personId: CHILD_8.id, reasonNotAssessed: 'kind verblijft in het buitenland' }).success).toBe(true);
    expect(schema.safeParse({ personId: CHILD_8.id, safety: 'onbekend' }).success).toBe(false);
    expect(schema.safeParse({ personId: CHILD_8.id }).success).toBe(false);
    expect(schema.safeParse({ personId: CHILD_8.id, safety: 'geen', reasonNotAssessed: 'x' }).success).toBe(false);
  });
});

describe('guards', () => {
  it.each([
    ['FIRST_CONTACT_INFORMATION_RECORDED', () => E.firstContactInformation(NOT_ON_CASE)],
    ['VERTROUWENSPERSOON_INFORMATION_RECORDED', () => E.vertrouwenspersoon(NOT_ON_CASE)],
    ['MEMBER_SAFETY_ASSESSED', () => E.memberSafety(NOT_ON_CASE)],
  ] as const)('%s for a person not on the case is refused with UNKNOWN_PERSON and changes nothing', (_type, event) => {
    const p = start();
    const r = wf.step(p, event());
    expect(!r.ok && r.code).toBe('GUARD_BLOCKED');
    expect(codesOf(r)).toEqual(['UNKNOWN_PERSON']);
  });

  it('the safety of someone outside the household (an ex-partner) is refused with NOT_HOUSEHOLD_MEMBER', () => {
    const r = wf.step(start(), E.memberSafety(EX.id, { safety: 'geen' }));
    expect(codesOf(r)).toEqual(['NOT_HOUSEHOLD_MEMBER']);
    expect(reasonsOf(r)[0]!.message).toContain('ex_partner');
  });

  it('the household is every role but ex-partner and other betrokkene', () => {
    expect([...HOUSEHOLD_ROLES].sort()).toEqual(PERSON_ROLES.filter((r) => r !== 'ex_partner' && r !== 'overig').sort());
  });

  it('the three are record-keeping: accepted in every open state without leaving it', () => {
    const p = nextOf(wf.step(start(), E.proposeDecision('VT-01-01', 'geen')));
    expect(p.state).toBe('besluit_ter_goedkeuring');
    const q = drive(wf, p, [E.firstContactInformation(PARENT.id), E.vertrouwenspersoon(PARENT.id), E.memberSafety(PARENT.id, { safety: 'geen' })]);
    expect(q.state).toBe('besluit_ter_goedkeuring');
  });
});

describe('what the case keeps', () => {
  it('a duty once given stays given; a reason first, then given, counts as given', () => {
    const p = drive(wf, start(), [
      E.firstContactInformation(PARENT.id),
      E.firstContactInformation(PARENT.id, { reasonNotGiven: 'geen contact bij tweede poging' }),
      E.vertrouwenspersoon(PARENT.id, { reasonNotGiven: 'gevaar' }),
      E.vertrouwenspersoon(ELDER.id, { reasonNotGiven: 'niet bereikbaar' }),
      E.vertrouwenspersoon(ELDER.id, { givenOn: '2024-06-05' }),
    ]);
    expect(p.context.firstContactInformation[PARENT.id]).toMatchObject({ given: true });
    expect(p.context.vertrouwenspersoonInformation[PARENT.id]).toMatchObject({ given: false });
    expect(p.context.vertrouwenspersoonInformation[ELDER.id]).toMatchObject({ given: true });
  });

  it('the latest safety assessment of a member counts (a herbeoordeling assesses again)', () => {
    const p = drive(wf, start(), [E.memberSafety(CHILD_8.id, { reasonNotAssessed: 'niet bereikbaar' }), E.memberSafety(CHILD_8.id, { safety: 'acuut' })]);
    expect(p.context.memberSafety[CHILD_8.id]).toMatchObject({ safety: 'acuut' });
    const q = drive(wf, p, [E.memberSafety(CHILD_8.id, { reasonNotAssessed: 'kind is verhuisd' })]);
    expect(q.context.memberSafety[CHILD_8.id]).toMatchObject({ safety: null });
  });
});

describe('leaving facts and figures', () => {
  it('counts every person for the duties and the household members for safety; a reason is justified, never met', () => {
    const p = drive(wf, start(), [
      E.firstContactInformation(PARENT.id),
      E.firstContactInformation(CHILD_8.id, { reasonNotGiven: 'gevaar: ouders niet op de hoogte' }),
      E.vertrouwenspersoon(PARENT.id),
      E.vertrouwenspersoon(ELDER.id),
      E.vertrouwenspersoon(EX.id, { reasonNotGiven: 'geen contact mogelijk' }),
      E.memberSafety(PARENT.id, { safety: 'geen' }),
      E.memberSafety(CHILD_8.id, { safety: 'structureel' }),
      E.memberSafety(ELDER.id, { reasonNotAssessed: 'opgenomen in het ziekenhuis' }),
    ]);
    const f = facts(p);
    expect(f).toMatchObject({
      betrokkenen: 4,
      firstContactInformed: 1,
      firstContactJustified: 1,
      vertrouwenspersoonKnown: 2,
      vertrouwenspersoonJustified: 1,
      householdMembers: 3,
      householdSafetyAssessed: 2,
      householdSafetyJustified: 1,
    });
    expect(LEAVING_FIGURES.informationGivenAtFirstContact(f)).toEqual({ met: 1, justified: 1, missing: 2 });
    expect(LEAVING_FIGURES.vertrouwenspersoonMadeKnown(f)).toEqual({ met: 2, justified: 1, missing: 1 });
    expect(LEAVING_FIGURES.safetyAssessedPerHouseholdMember(f)).toEqual({ met: 2, justified: 1, missing: 0 });
  });

  it('nothing recorded: every person missing, for all three', () => {
    const f = facts(start());
    expect(LEAVING_FIGURES.informationGivenAtFirstContact(f)).toEqual({ met: 0, justified: 0, missing: 4 });
    expect(LEAVING_FIGURES.vertrouwenspersoonMadeKnown(f)).toEqual({ met: 0, justified: 0, missing: 4 });
    expect(LEAVING_FIGURES.safetyAssessedPerHouseholdMember(f)).toEqual({ met: 0, justified: 0, missing: 3 });
  });
});
