import type { LightMyRequestResponse } from 'fastify';
import { meldingBody, startTestApp, type TestApp } from '../support/test-app';
import { expectNothingWritten, rowCounts } from './row-counts';
import { apiError, type ApiErrorView } from '../support/api-error';

/** Asserts the status, the problem details shape (RFC 9457), the code and (for validation errors) that an issue names `field` with a rule. */
function expectError(res: LightMyRequestResponse, status: number, code: string, issue?: { field: string; rule?: string | RegExp }): ApiErrorView {
  expect({ status: res.statusCode, body: res.body.slice(0, 2000) }).toEqual({ status, body: expect.any(String) });
  expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
  const raw = res.json<Record<string, unknown>>();
  expect(raw).toMatchObject({ type: `tag:veilig-thuis-workflow,2026:problem:${code}`, title: expect.any(String), status, detail: expect.any(String), code });
  expect(Object.keys(raw).filter((k) => !['type', 'title', 'status', 'detail', 'instance', 'code', 'invalidParams', 'reasons', 'currentVersion'].includes(k))).toEqual([]);
  const body = apiError(raw);
  expect(body.message.length).toBeGreaterThan(0);
  if (raw.invalidParams !== undefined) {
    expect(body.issues.length).toBeGreaterThan(0);
    for (const i of raw.invalidParams as Array<Record<string, unknown>>) {
      expect(Object.keys(i).sort()).toEqual(['name', 'reason']);
      expect(typeof i.name).toBe('string');
      expect(typeof i.reason).toBe('string');
      expect(String(i.reason).length).toBeGreaterThan(0);
    }
  }
  if (issue) {
    const named = body.issues.filter((i) => i.field === issue.field);
    expect({ issues: body.issues, named: named.length > 0 }).toEqual({ issues: body.issues, named: true });
    if (issue.rule !== undefined) {
      const rule = issue.rule;
      expect(named.some((i) => (typeof rule === 'string' ? i.rule === rule : rule.test(i.rule)))).toBe(true);
    }
  }
  return body;
}

describe('bad input is refused with a 4xx naming field and rule, and writes nothing', () => {
  let t: TestApp;
  let alice: string;
  let bob: string;
  let caseId: string;
  let kindId: string;
  let ouderId: string;

  beforeAll(async () => {
    t = await startTestApp();
    alice = await t.token('alice', 'medewerker', { teams: ['team-zwolle'] });
    bob = await t.token('bob', 'medewerker', { teams: ['team-zwolle'] });
    const res = await t.request('POST', '/v1/meldingen', alice, meldingBody());
    expect(res.statusCode).toBe(201);
    const created = res.json<{ id: string; persons: Array<{ id: string; role: string }> }>();
    caseId = created.id;
    ouderId = created.persons.find((p) => p.role === 'ouder')!.id;
    kindId = created.persons.find((p) => p.role === 'kind')!.id;
  });
  afterAll(async () => t.close());

  const melding = (overrides: Record<string, unknown>) => meldingBody(overrides);
  const without = (key: string, body: Record<string, unknown> = meldingBody()) => {
    const copy = { ...body };
    delete copy[key];
    return copy;
  };
  const post = (url: string, body: unknown) => t.request('POST', url, alice, body);
  const events = () => `/v1/cases/${caseId}/events`;

  describe('POST /v1/meldingen', () => {
    const cases: Array<[string, () => unknown, { field: string; rule?: string | RegExp }]> = [
      ['acuteDanger of the wrong type ("yes")', () => melding({ acuteDanger: 'yes' }), { field: 'acuteDanger', rule: /boolean/ }],
      ['summary of the wrong type (a number)', () => melding({ summary: 42 }), { field: 'summary', rule: /string/ }],
      ['persons not an array', () => melding({ persons: { role: 'kind', name: 'X' } }), { field: 'persons', rule: /array/ }],
      ['acuteDanger missing', () => without('acuteDanger'), { field: 'acuteDanger' }],
      ['gemeente missing', () => without('gemeente'), { field: 'gemeente' }],
      ['violenceTypes missing', () => without('violenceTypes'), { field: 'violenceTypes' }],
      ['reporter missing', () => without('reporter'), { field: 'reporter' }],
      ['persons missing', () => without('persons'), { field: 'persons' }],
      ['summary missing', () => without('summary'), { field: 'summary' }],
      ['a person without a name', () => melding({ persons: [{ role: 'kind' }] }), { field: 'persons.0.name' }],
      ['a gemeente outside region IJsselland (GM0363 Amsterdam)', () => melding({ gemeente: 'GM0363' }), { field: 'gemeente', rule: /region IJsselland/ }],
      ['a malformed gemeente code', () => melding({ gemeente: 'Zwolle' }), { field: 'gemeente', rule: /region IJsselland/ }],
      ['receivedAt without an offset', () => melding({ receivedAt: '2026-11-20T10:00:00' }), { field: 'receivedAt', rule: /offset/ }],
      ['receivedAt a date only', () => melding({ receivedAt: '2026-11-20' }), { field: 'receivedAt', rule: /offset/ }],
      ['a BSN failing the 11-proef', () => melding({ persons: [{ role: 'ouder', name: 'Testouder', bsn: '123456789' }] }), { field: 'persons.0.bsn', rule: /11-proef/ }],
      ['a BSN of 8 digits', () => melding({ persons: [{ role: 'ouder', name: 'Testouder', bsn: '11122233' }] }), { field: 'persons.0.bsn', rule: /11-proef/ }],
      ['BSN 000000000', () => melding({ persons: [{ role: 'ouder', name: 'Testouder', bsn: '000000000' }] }), { field: 'persons.0.bsn', rule: /11-proef/ }],
      ['a birthDate that is not a date', () => melding({ persons: [{ role: 'kind', name: 'Testkind', birthDate: '15-06-2017' }] }), { field: 'persons.0.birthDate', rule: /YYYY-MM-DD/ }],
      ['empty violenceTypes', () => melding({ violenceTypes: [] }), { field: 'violenceTypes', rule: 'must name at least one type of violence' }],
      ['a repeated violence type', () => melding({ violenceTypes: ['partnergeweld', 'kindermishandeling', 'partnergeweld'] }), { field: 'violenceTypes', rule: 'must not repeat a type' }],
      ['an unknown violence type', () => melding({ violenceTypes: ['kindermishandeling', 'pesten'] }), { field: 'violenceTypes.1' }],
      ['an unknown person role', () => melding({ persons: [{ role: 'oom', name: 'X' }] }), { field: 'persons.0.role' }],
      ['no persons', () => melding({ persons: [] }), { field: 'persons', rule: 'must name at least one person' }],
      ['an empty summary', () => melding({ summary: '   ' }), { field: 'summary', rule: 'must not be empty' }],
      ['a professional melder without sector', () => melding({ reporter: { professional: true, name: 'X' } }), { field: 'reporter.sector', rule: 'is required for a professional melder' }],
      ['a private melder with a sector', () => melding({ reporter: { professional: false, sector: 'politie' } }), { field: 'reporter.sector', rule: 'is only for a professional melder' }],
      ['an anonymous melder with a name', () => melding({ reporter: { professional: false, anonymous: true, name: 'Buurman' } }), { field: 'reporter.anonymous' }],
      ['an unknown adviesId format', () => melding({ adviesId: 'advies-1' }), { field: 'adviesId' }],
      ['an unknown top-level field (strict)', () => melding({ priority: 'hoog' }), { field: 'priority', rule: /priority|unrecognized|unknown/i }],
      ['an unknown field in reporter (strict)', () => melding({ reporter: { professional: true, sector: 'onderwijs', phone: '06' } }), { field: 'reporter.phone', rule: /phone|unrecognized|unknown/i }],
    ];

    it.each(cases)('%s → 400 REQUEST.VALIDATION naming the field, nothing written', async (_label, body, issue) => {
      const res = await expectNothingWritten(t.db, () => post('/v1/meldingen', body()));
      expectError(res, 400, 'REQUEST.VALIDATION', issue);
    });

    it('receivedAt after the (manual) clock → 400 receivedAt "must not be in the future", nothing written', async () => {
      // The clock says 2026-11-23T09:00+01:00; one second later is the future.
      const res = await expectNothingWritten(t.db, () => post('/v1/meldingen', melding({ receivedAt: '2026-11-23T09:00:01+01:00' })));
      expectError(res, 400, 'REQUEST.VALIDATION', { field: 'receivedAt', rule: 'must not be in the future' });
    });

    it('receivedAt is judged against the clock, not the wall clock: a later clock accepts what was future before', async () => {
      const receivedAt = '2026-11-23T12:00:00+01:00';
      const early = await expectNothingWritten(t.db, () => post('/v1/meldingen', melding({ receivedAt })));
      expectError(early, 400, 'REQUEST.VALIDATION', { field: 'receivedAt', rule: 'must not be in the future' });
      const start = t.clock.now();
      try {
        t.clock.set(new Date('2026-11-23T12:00:00+01:00'));
        const onTime = await post('/v1/meldingen', melding({ receivedAt }));
        expect(onTime.statusCode).toBe(201);
        expect(onTime.json()).toMatchObject({ receivedAt: '2026-11-23T11:00:00.000Z', registeredAt: '2026-11-23T11:00:00.000Z' });
      } finally {
        t.clock.set(start);
      }
    });

    it('a birthDate in the future → 400 persons.N.birthDate "must not be in the future", nothing written', async () => {
      const persons = [
        { role: 'ouder', name: 'Testouder', birthDate: '1985-04-02' },
        { role: 'kind', name: 'Testkind', birthDate: '2026-11-24' },
      ];
      const res = await expectNothingWritten(t.db, () => post('/v1/meldingen', melding({ persons })));
      expectError(res, 400, 'REQUEST.VALIDATION', { field: 'persons.1.birthDate', rule: 'must not be in the future' });
    });

    it("a child born today (Amsterdam date) is not in the future, also just after local midnight", async () => {
      const start = t.clock.now();
      try {
        // 00:30 in Amsterdam on 23 November is still 22 November in UTC: the local date decides.
        t.clock.set(new Date('2026-11-23T00:30:00+01:00'));
        const persons = [
          { role: 'ouder', name: 'Testouder', birthDate: '1990-01-01' },
          { role: 'kind', name: 'Pasgeboren Testkind', birthDate: '2026-11-23' },
        ];
        const res = await post('/v1/meldingen', melding({ receivedAt: '2026-11-23T00:15:00+01:00', persons }));
        expect({ status: res.statusCode, body: res.json() }).toEqual({ status: 201, body: expect.objectContaining({ state: 'veiligheidsbeoordeling' }) });
        // …and tomorrow is still refused.
        const tomorrow = await expectNothingWritten(t.db, () =>
          post('/v1/meldingen', melding({ receivedAt: '2026-11-23T00:15:00+01:00', persons: [{ role: 'kind', name: 'X', birthDate: '2026-11-24' }] })),
        );
        expectError(tomorrow, 400, 'REQUEST.VALIDATION', { field: 'persons.0.birthDate', rule: 'must not be in the future' });
      } finally {
        t.clock.set(start);
      }
    });

    it('malformed JSON → 400 in the error shape, nothing written', async () => {
      const res = await expectNothingWritten(t.db, () =>
        t.app.inject({ method: 'POST', url: '/v1/meldingen', headers: { authorization: `Bearer ${alice}`, 'content-type': 'application/json' }, payload: '{"gemeente": "GM0193",' }),
      );
      const body = expectError(res, 400, 'REQUEST.CTP_INVALID_JSON_BODY');
      expect(body.issues).toEqual([]);
    });

    it('a body over 1 MiB → 413 in the error shape, nothing written', async () => {
      const payload = JSON.stringify(melding({ summary: 'x'.repeat(1_048_576) }));
      expect(payload.length).toBeGreaterThan(1_048_576);
      const res = await expectNothingWritten(t.db, () =>
        t.app.inject({ method: 'POST', url: '/v1/meldingen', headers: { authorization: `Bearer ${alice}`, 'content-type': 'application/json' }, payload }),
      );
      expectError(res, 413, 'REQUEST.CTP_BODY_TOO_LARGE');
    });

    it('an empty body with content-type JSON → 400, nothing written', async () => {
      const res = await expectNothingWritten(t.db, () =>
        t.app.inject({ method: 'POST', url: '/v1/meldingen', headers: { authorization: `Bearer ${alice}`, 'content-type': 'application/json' } }),
      );
      expect(res.statusCode).toBe(400);
      expect(apiError(res.json()).code).toMatch(/^REQUEST\./);
    });

    it('a JSON array instead of an object → 400 naming the body, nothing written', async () => {
      const res = await expectNothingWritten(t.db, () => post('/v1/meldingen', [meldingBody()]));
      expectError(res, 400, 'REQUEST.VALIDATION', { field: 'body' });
    });

    it('an adviesId that does not exist → 404 ADVIES.NOT_FOUND, nothing written', async () => {
      const res = await expectNothingWritten(t.db, () => post('/v1/meldingen', melding({ adviesId: '7c9e6679-7425-40de-944b-e07fc1f90ae7' })));
      expectError(res, 404, 'ADVIES.NOT_FOUND');
    });
  });

  describe('POST /v1/cases/:id/events', () => {
    const eventCases: Array<[string, () => unknown, { field: string; rule?: string | RegExp }]> = [
      ['an unknown event type', () => ({ type: 'CASE_DELETED', expectedVersion: 1 }), { field: 'type', rule: /must be one of/ }],
      ['no event type', () => ({ expectedVersion: 1, text: 'x' }), { field: 'type' }],
      ['DECISION_PROPOSED without rationale', () => ({ type: 'DECISION_PROPOSED', expectedVersion: 1, safety: 'geen', code: 'VT-01-03' }), { field: 'rationale' }],
      ['DECISION_PROPOSED with an unknown decision code', () => ({ type: 'DECISION_PROPOSED', expectedVersion: 1, safety: 'geen', code: 'VT-42', rationale: 'r' }), { field: 'code' }],
      ['NOTE_ADDED with an empty text', () => ({ type: 'NOTE_ADDED', expectedVersion: 1, text: '' }), { field: 'text', rule: 'must not be empty' }],
      ['expectedVersion missing', () => ({ type: 'NOTE_ADDED', text: 'x' }), { field: 'expectedVersion' }],
      ['expectedVersion a string', () => ({ type: 'NOTE_ADDED', text: 'x', expectedVersion: '1' }), { field: 'expectedVersion' }],
      ['expectedVersion a fraction', () => ({ type: 'NOTE_ADDED', text: 'x', expectedVersion: 1.5 }), { field: 'expectedVersion' }],
      ['expectedVersion zero', () => ({ type: 'NOTE_ADDED', text: 'x', expectedVersion: 0 }), { field: 'expectedVersion' }],
      ['an unknown payload field (strict)', () => ({ type: 'NOTE_ADDED', expectedVersion: 1, text: 'x', author: 'mallory' }), { field: 'author', rule: /author|unrecognized|unknown/i }],
      [
        'CHAIN_PARTNER_RECORDED with both partner and reasonNone',
        () => ({ type: 'CHAIN_PARTNER_RECORDED', expectedVersion: 1, personId: ouderId, partner: 'Wijkteam Zwolle', reasonNone: 'niet nodig' }),
        { field: 'partner', rule: /exactly one/ },
      ],
      ['CHAIN_PARTNER_RECORDED with neither', () => ({ type: 'CHAIN_PARTNER_RECORDED', expectedVersion: 1, personId: ouderId }), { field: 'partner', rule: /exactly one/ }],
      ['CHILD_CONTACT_RECORDED with a non-UUID personId', () => ({ type: 'CHILD_CONTACT_RECORDED', expectedVersion: 1, personId: 'kind-1', contactDate: '2026-11-22', seen: true, spoken: true }), { field: 'personId' }],
      ['PERSON_ADDED with a bad BSN', () => ({ type: 'PERSON_ADDED', expectedVersion: 1, person: { role: 'ouder', name: 'Tweede ouder', bsn: '111222334' } }), { field: 'person.bsn', rule: /11-proef/ }],
    ];

    it.each(eventCases)('%s → 400 REQUEST.VALIDATION naming the field, nothing written', async (_label, body, issue) => {
      const res = await expectNothingWritten(t.db, () => post(events(), body()));
      expectError(res, 400, 'REQUEST.VALIDATION', issue);
    });

    it('PERSON_ADDED with a birthDate in the future → 400 person.birthDate, nothing written', async () => {
      const res = await expectNothingWritten(t.db, () =>
        post(events(), { type: 'PERSON_ADDED', expectedVersion: 1, person: { role: 'kind', name: 'Ongeboren', birthDate: '2027-01-01' } }),
      );
      expectError(res, 400, 'REQUEST.VALIDATION', { field: 'person.birthDate', rule: 'must not be in the future' });
    });

    it('a non-UUID case id in the path → 400 naming params.id, nothing written', async () => {
      const res = await expectNothingWritten(t.db, () => post('/v1/cases/12345/events', { type: 'NOTE_ADDED', expectedVersion: 1, text: 'x' }));
      expectError(res, 400, 'REQUEST.VALIDATION', { field: 'params.id', rule: /UUID/ });
      const get = await t.request('GET', "/v1/cases/1' or '1'='1", alice);
      expectError(get, 400, 'REQUEST.VALIDATION', { field: 'params.id' });
    });

    it('an unknown case id → 404 CASE.NOT_FOUND on events, GET, history and transitions, nothing written', async () => {
      const unknown = '3f2b8a6e-1c4d-4e5f-9a7b-0c1d2e3f4a5b';
      const res = await expectNothingWritten(t.db, () => post(`/v1/cases/${unknown}/events`, { type: 'NOTE_ADDED', expectedVersion: 1, text: 'x' }));
      expectError(res, 404, 'CASE.NOT_FOUND');
      for (const suffix of ['', '/history', '/transitions']) {
        expectError(await t.request('GET', `/v1/cases/${unknown}${suffix}`, alice), 404, 'CASE.NOT_FOUND');
      }
    });

    it('malformed JSON → 400, nothing written', async () => {
      const res = await expectNothingWritten(t.db, () =>
        t.app.inject({ method: 'POST', url: events(), headers: { authorization: `Bearer ${alice}`, 'content-type': 'application/json' }, payload: "{type: 'NOTE_ADDED'}" }),
      );
      expectError(res, 400, 'REQUEST.CTP_INVALID_JSON_BODY');
    });

    it('a body over 1 MiB → 413, nothing written', async () => {
      const payload = JSON.stringify({ type: 'NOTE_ADDED', expectedVersion: 1, text: 'y'.repeat(1_100_000) });
      const res = await expectNothingWritten(t.db, () =>
        t.app.inject({ method: 'POST', url: events(), headers: { authorization: `Bearer ${alice}`, 'content-type': 'application/json' }, payload }),
      );
      expectError(res, 413, 'REQUEST.CTP_BODY_TOO_LARGE');
    });

    it('a stale expectedVersion → 409 with currentVersion, nothing written', async () => {
      const res = await expectNothingWritten(t.db, () => post(events(), { type: 'NOTE_ADDED', expectedVersion: 7, text: 'x' }));
      const body = expectError(res, 409, 'CASE.VERSION_CONFLICT');
      expect(body.currentVersion).toBe(1);
    });

    it('a guard refusal (422 CASE.GUARD_BLOCKED) writes nothing and leaves the version', async () => {
      // Not registered as acute danger: an acute action cannot be recorded.
      const res = await expectNothingWritten(t.db, () => post(events(), { type: 'ACUTE_ACTION_STARTED', expectedVersion: 1, description: 'Politie ingeschakeld' }));
      const body = expectError(res, 422, 'CASE.GUARD_BLOCKED');
      expect(body.reasons).toEqual([expect.objectContaining({ code: 'NOT_ACUTE' })]);
      const got = await t.request('GET', `/v1/cases/${caseId}`, alice);
      expect(got.json()).toMatchObject({ version: 1, state: 'veiligheidsbeoordeling' });
    });

    it('a guard refusal on a child contact for a non-child (422) writes nothing', async () => {
      const res = await expectNothingWritten(t.db, () =>
        post(events(), { type: 'CHILD_CONTACT_RECORDED', expectedVersion: 1, personId: ouderId, contactDate: '2026-11-22', seen: true, spoken: true }),
      );
      const body = expectError(res, 422, 'CASE.GUARD_BLOCKED');
      expect(body.reasons).toEqual([expect.objectContaining({ code: 'UNKNOWN_CHILD' })]);
      expect(kindId).not.toBe(ouderId);
    });

    it('an event the state does not accept (422 CASE.EVENT_NOT_ALLOWED) writes nothing and leaves the version', async () => {
      const res = await expectNothingWritten(t.db, () => post(events(), { type: 'CLOSURE_APPROVED', expectedVersion: 1 }));
      expectError(res, 422, 'CASE.EVENT_NOT_ALLOWED');
      expect((await t.db.selectFrom('cases').select('version').where('id', '=', caseId).executeTakeFirstOrThrow()).version).toBe(1);
    });

    it('PERSON_ADDED refused with 422 on a closed case rolls back the person it inserted', async () => {
      const created = await post('/v1/meldingen', meldingBody());
      const id = created.json<{ id: string }>().id;
      const proposed = await post(`/v1/cases/${id}/events`, { type: 'DECISION_PROPOSED', expectedVersion: 1, safety: 'geen', code: 'VT-00', rationale: 'Geen huiselijk geweld (synthetisch).' });
      expect(proposed.statusCode).toBe(200);
      const approved = await t.request('POST', `/v1/cases/${id}/events`, bob, { type: 'DECISION_APPROVED', expectedVersion: 2 });
      expect(approved.statusCode).toBe(200);
      expect(approved.json()).toMatchObject({ state: 'niet_ontvankelijk', version: 3 });

      const before = await rowCounts(t.db);
      const res = await post(`/v1/cases/${id}/events`, { type: 'PERSON_ADDED', expectedVersion: 3, person: { role: 'kind', name: 'Laat Testkind' } });
      expectError(res, 422, 'CASE.EVENT_NOT_ALLOWED');
      expect(await rowCounts(t.db)).toEqual(before);
      const persons = await t.db.selectFrom('persons').select('name').where('case_id', '=', id).execute();
      expect(persons.map((p) => p.name)).not.toContain('Laat Testkind');
    });

    it('nothing was written to the shared case by any refused request: it is still at version 1 with one history row', async () => {
      const got = await t.request('GET', `/v1/cases/${caseId}/history`, alice);
      expect(got.statusCode).toBe(200);
      expect(got.json<{ items: Array<{ seq: number; type: string }> }>().items.map((i) => [i.seq, i.type])).toEqual([[1, 'MELDING_REGISTERED']]);
    });
  });
});
