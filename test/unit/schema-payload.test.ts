/**
 * The generated forms' payloads, on the schemas the API really emits (zod's toJSONSchema of the machine's command
 * schemas), and on a schema the machine may grow (a work plan with steps; the real plan van aanpak of ONDERZOEK_STARTED is tested too): what the form sends
 * must pass the API's own zod schema, and a required field left empty must be named before sending.
 */
import { z } from 'zod';
import { meldingCommandSchemas } from '../../workflows/melding';
import type { JsonSchema } from '../../web/src/api';
import { toPayload, validate, withRecordKeys } from '../../web/src/schema-payload';

const jsonSchema = (s: z.ZodType) => z.toJSONSchema(s, { io: 'input' }) as JsonSchema;

describe('payloads from the generated forms', () => {
  it('a filled-in DECISION_PROPOSED passes the API schema; empty optional text is left out; nothing filled names each required field', () => {
    const schema = jsonSchema(meldingCommandSchemas.DECISION_PROPOSED);
    expect(validate(schema, {})).toEqual({ safety: 'Maak een keuze.', code: 'Maak een keuze.', rationale: 'Vul dit veld in.' });
    const payload = toPayload(schema, { safety: 'structureel', code: 'VT-01-01', rationale: '  Onderzoek nodig.  ' });
    expect(payload).toEqual({ safety: 'structureel', code: 'VT-01-01', rationale: 'Onderzoek nodig.' });
    expect(meldingCommandSchemas.DECISION_PROPOSED.safeParse(payload).success).toBe(true);
    expect(toPayload(jsonSchema(meldingCommandSchemas.ONDERZOEK_STARTED), { comment: '   ' })).toEqual({});
  });

  it('the plan van aanpak of ONDERZOEK_STARTED: a nested object with a kind, text and disciplines to tick', () => {
    const schema = jsonSchema(meldingCommandSchemas.ONDERZOEK_STARTED);
    const payload = toPayload(schema, { planVanAanpak: { kind: 'multidisciplinair', summary: ' Huisbezoek en gesprekken. ', approvedBy: '', disciplines: ['gedragswetenschapper', 'arts'] }, reasonNoPlan: '' });
    expect(payload).toEqual({ planVanAanpak: { kind: 'multidisciplinair', summary: 'Huisbezoek en gesprekken.', disciplines: ['gedragswetenschapper', 'arts'] } });
    expect(meldingCommandSchemas.ONDERZOEK_STARTED.safeParse(payload).success).toBe(true);
  });

  it('the outcome per type of violence of ONDERZOEK_CONCLUSION_PROPOSED: one optional choice per type, only the chosen ones sent', () => {
    const schema = jsonSchema(meldingCommandSchemas.ONDERZOEK_CONCLUSION_PROPOSED);
    const value = { safety: 'structureel', followUp: 'afsluiten', conclusion: ' Bevestigd. ', outcomes: { partnergeweld: 'bevestigd', kindermishandeling: 'niet_bevestigd', ouderenmishandeling: '' } };
    expect(validate(schema, value)).toEqual({});
    const payload = toPayload(schema, value);
    expect(payload).toEqual({ safety: 'structureel', followUp: 'afsluiten', conclusion: 'Bevestigd.', outcomes: { partnergeweld: 'bevestigd', kindermishandeling: 'niet_bevestigd' } });
    expect(meldingCommandSchemas.ONDERZOEK_CONCLUSION_PROPOSED.safeParse(payload).success).toBe(true);
    // Nothing chosen: an empty record is sent, and the API names each registered type without an outcome.
    expect(toPayload(schema, { ...value, outcomes: {} }).outcomes).toEqual({});
  });

  it("the conclusion form narrowed to the case's own types: one required choice per registered type, none for another", () => {
    const full = jsonSchema(meldingCommandSchemas.ONDERZOEK_CONCLUSION_PROPOSED);
    const schema = withRecordKeys(full, 'outcomes', ['partnergeweld', 'kindermishandeling', 'geen_type'], (k) => `label ${k}`);
    const outcomes = schema.properties!.outcomes!;
    expect(Object.keys(outcomes.properties!)).toEqual(['partnergeweld', 'kindermishandeling']);
    expect(outcomes.required).toEqual(['partnergeweld', 'kindermishandeling']);
    expect(outcomes.properties!.partnergeweld).toMatchObject({ enum: ['bevestigd', 'niet_bevestigd', 'geen_oordeel_mogelijk'], description: 'label partnergeweld' });
    const value = { safety: 'structureel', followUp: 'afsluiten', conclusion: 'Bevestigd.', outcomes: { partnergeweld: 'bevestigd' } };
    expect(validate(schema, value)).toEqual({ 'outcomes.kindermishandeling': 'Maak een keuze.' });
    const payload = toPayload(schema, { ...value, outcomes: { partnergeweld: 'bevestigd', kindermishandeling: 'geen_oordeel_mogelijk' } });
    expect(payload.outcomes).toEqual({ partnergeweld: 'bevestigd', kindermishandeling: 'geen_oordeel_mogelijk' });
    expect(meldingCommandSchemas.ONDERZOEK_CONCLUSION_PROPOSED.safeParse(payload).success).toBe(true);
    // Without such a field the schema is left as it is.
    const decision = jsonSchema(meldingCommandSchemas.DECISION_PROPOSED);
    expect(withRecordKeys(decision, 'outcomes', ['partnergeweld'], String)).toBe(decision);
  });

  it('nested objects, enum arrays and required booleans: PERSON_ADDED and CHILD_CONTACT_RECORDED', () => {
    const person = jsonSchema(meldingCommandSchemas.PERSON_ADDED);
    expect(validate(person, {})).toEqual({ 'person.role': 'Maak een keuze.', 'person.name': 'Vul dit veld in.' });
    const payload = toPayload(person, { person: { role: 'oudere', name: 'Oma', birthDate: '', vulnerabilities: ['oudere'] } });
    expect(payload).toEqual({ person: { role: 'oudere', name: 'Oma', vulnerabilities: ['oudere'] } });
    expect(meldingCommandSchemas.PERSON_ADDED.safeParse(payload).success).toBe(true);

    const contact = jsonSchema(meldingCommandSchemas.CHILD_CONTACT_RECORDED);
    const sent = toPayload(contact, { personId: '0b7c2a1e-4f7e-4c1a-9d55-0a6b8f7e2c11', contactDate: '2026-11-23', seen: true });
    expect(sent).toEqual({ personId: '0b7c2a1e-4f7e-4c1a-9d55-0a6b8f7e2c11', contactDate: '2026-11-23', seen: true, spoken: false });
    expect(meldingCommandSchemas.CHILD_CONTACT_RECORDED.safeParse(sent).success).toBe(true);
  });

  it('for every event type, an empty form is stopped in the browser exactly when the API would refuse it, but for cross-field rules the API names', () => {
    const disagree: string[] = [];
    for (const [type, zodSchema] of Object.entries(meldingCommandSchemas)) {
      const schema = jsonSchema(zodSchema);
      expect({ type, kind: schema.type }).toEqual({ type, kind: 'object' });
      const apiRefuses = !zodSchema.safeParse(toPayload(schema, {})).success;
      const formStops = Object.keys(validate(schema, {})).length > 0;
      if (apiRefuses !== formStops) disagree.push(type);
    }
    // "Who is involved, or why nobody is": one of two optional fields, a rule JSON Schema does not carry. (An empty
    // ONDERZOEK_STARTED is stopped by the form too: it asks the plan van aanpak's kind and summary.)
    expect(disagree).toEqual(['INFORMAL_NETWORK_RECORDED']);
  });

  it('a field the machine adds later works without a change: a work plan with steps, a number and a nullable text', () => {
    const withPlan = meldingCommandSchemas.CLOSURE_APPROVED.extend({
      werkplan: z.object({
        doel: z.string().min(1),
        stappen: z.array(z.object({ wat: z.string().min(1), wanneer: z.iso.date() })).min(1),
        gesprekken: z.number().int().min(1).max(20),
        toelichting: z.string().nullable().optional(),
      }),
    });
    const schema = jsonSchema(withPlan);
    expect(validate(schema, { werkplan: { stappen: [{ wat: '', wanneer: 'gisteren' }], gesprekken: '2,5' } })).toEqual({
      'werkplan.doel': 'Vul dit veld in.',
      'werkplan.stappen.0.wat': 'Vul dit veld in.',
      'werkplan.stappen.0.wanneer': 'Vul een datum in.',
      'werkplan.gesprekken': 'Vul een getal in.',
    });
    const payload = toPayload(schema, { werkplan: { doel: 'Veiligheid kinderen', stappen: [{ wat: 'Huisbezoek', wanneer: '2026-12-01' }], gesprekken: '3', toelichting: '' } });
    expect(payload).toEqual({ werkplan: { doel: 'Veiligheid kinderen', stappen: [{ wat: 'Huisbezoek', wanneer: '2026-12-01' }], gesprekken: 3 } });
    expect(withPlan.safeParse(payload).success).toBe(true);
  });
});
