/**
 * The outcome of an onderzoek per type of violence (machine version 6; Uitvoeringsbesluit Wmo 2015 art. 4.3.2 h): the
 * payload's rule, the check against the registered types, what the approval records, and version-5 snapshots.
 */
import { meldingCommandSchemas, migrateSnapshot, onderzoekOutcomeIssues } from '../../workflows/melding';
import { ONDERZOEK_OUTCOMES } from '../../workflows/reference';
import { E, asV5, codesOf, drive, nextOf, prepared, workflow } from './melding.fixtures';

const wf = workflow();
const started = () => drive(wf, prepared(wf), [E.proposeDecision('VT-01-01', 'structureel'), E.approveDecision(), E.startOnderzoek()]);
const schema = meldingCommandSchemas.ONDERZOEK_CONCLUSION_PROPOSED;
const body = { safety: 'structureel', followUp: 'afsluiten', conclusion: 'Zorgen bevestigd.' } as const;

describe('onderzoekOutcomeIssues', () => {
  it('accepts exactly one outcome for every registered type', () => {
    expect(onderzoekOutcomeIssues(['kindermishandeling', 'partnergeweld'], { kindermishandeling: 'bevestigd', partnergeweld: 'geen_oordeel_mogelijk' })).toEqual([]);
  });

  it('names each registered type without an outcome', () => {
    const issues = onderzoekOutcomeIssues(['kindermishandeling', 'partnergeweld'], { kindermishandeling: 'bevestigd' });
    expect(issues).toEqual([{ field: 'outcomes.partnergeweld', rule: expect.stringContaining('partnergeweld has none') }]);
  });

  it('names each outcome for a type that is not registered', () => {
    const issues = onderzoekOutcomeIssues(['kindermishandeling'], { kindermishandeling: 'bevestigd', ouderenmishandeling: 'niet_bevestigd' });
    expect(issues).toEqual([{ field: 'outcomes.ouderenmishandeling', rule: expect.stringContaining('not a type of violence registered') }]);
  });

  it('an empty record fits no melding (every melding has at least one type)', () => {
    expect(onderzoekOutcomeIssues(['onbekend'], {}).map((i) => i.field)).toEqual(['outcomes.onbekend']);
  });
});

describe('the payload rule', () => {
  it('takes the CBS vocabulary per type', () => {
    for (const outcome of ONDERZOEK_OUTCOMES) expect(schema.safeParse({ ...body, outcomes: { kindermishandeling: outcome } }).success).toBe(true);
  });

  it('refuses a missing record, an unknown outcome and an unknown type, naming the field', () => {
    const paths = (v: unknown) => {
      const r = schema.safeParse(v);
      return r.success ? [] : r.error.issues.map((i) => i.path.join('.'));
    };
    expect(paths(body)).toEqual(['outcomes']);
    expect(paths({ ...body, outcomes: { kindermishandeling: 'waarschijnlijk' } })).toEqual(['outcomes.kindermishandeling']);
    // zod reports a key outside the enum on the record itself (code unrecognized_keys, naming the key).
    const unknownType = schema.safeParse({ ...body, outcomes: { stalking: 'bevestigd' } });
    expect(unknownType.success ? [] : unknownType.error.issues.map((i) => [i.path.join('.'), i.code])).toEqual([['outcomes', 'unrecognized_keys']]);
  });
});

describe('the machine (version 6)', () => {
  it('the approval records the proposed outcomes; a rejection forgets them', () => {
    const outcomes = { kindermishandeling: 'bevestigd', partnergeweld: 'niet_bevestigd' } as const;
    const proposed = drive(wf, started(), [E.proposeConclusion('afsluiten', 'structureel', {}, outcomes)]);
    expect(proposed.context.proposal?.outcomes).toEqual(outcomes);
    expect(proposed.context.onderzoekOutcomes).toBeNull();
    const approved = drive(wf, proposed, [E.approveConclusion()]);
    expect(approved).toMatchObject({ version: 6, state: 'afronding', context: { onderzoekOutcomes: outcomes, proposal: null } });
    const rejected = drive(wf, proposed, [E.rejectConclusion()]);
    expect(rejected.context).toMatchObject({ proposal: null, onderzoekOutcomes: null });
  });

  it('a version-5 snapshot migrates without outcomes: a concluded onderzoek keeps none', () => {
    const concluded = drive(wf, started(), [E.proposeConclusion('afsluiten', 'structureel'), E.approveConclusion()]);
    const migrated = migrateSnapshot(asV5(concluded));
    expect(migrated).toEqual({ ...concluded, context: { ...concluded.context, onderzoekOutcomes: null } });
  });

  it('a version-5 conclusion waiting for approval cannot be approved until it is proposed again with outcomes', () => {
    const waiting = asV5(drive(wf, started(), [E.proposeConclusion('afsluiten', 'structureel')]));
    expect(migrateSnapshot(waiting).context.proposal).toMatchObject({ kind: 'conclusie', outcomes: null });
    expect(codesOf(wf.step(waiting, E.approveConclusion()))).toEqual(['ONDERZOEK_OUTCOMES_MISSING']);
    const again = drive(wf, nextOf(wf.step(waiting, E.rejectConclusion())), [E.proposeConclusion('afsluiten', 'structureel', {}, { kindermishandeling: 'geen_oordeel_mogelijk' }), E.approveConclusion()]);
    expect(again.context.onderzoekOutcomes).toEqual({ kindermishandeling: 'geen_oordeel_mogelijk' });
  });
});
