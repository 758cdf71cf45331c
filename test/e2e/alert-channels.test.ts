/**
 * A team's alert channels, webhook and e-mail (src/deadlines/alert-channel.service.ts): validation, who may set
 * them, the secret never echoed. The stack: test/support/alerts-stack.ts.
 */
import { apiError } from '../support/api-error';
import { useAlertsStack } from '../support/alerts-stack';

jest.setTimeout(60_000);

describe('alert channels (BullMQ on real Redis, in-process workers)', () => {
  const f = useAlertsStack('bullmq');
  const { put } = f;

  describe('PUT /v1/teams/:teamId/alert-channels', () => {
    const url = '/v1/teams/team-zwolle/alert-channels';

    it('a webhook without a secret, a short secret, a bad e-mail, a non-http URL or an unknown field is a 400 and writes nothing', async () => {
      const cases400: Array<[unknown, string]> = [
        [{ webhookUrl: 'https://hooks.example.test/vt' }, 'webhookSecret'],
        [{ webhookUrl: 'https://hooks.example.test/vt', webhookSecret: 'kort' }, 'webhookSecret'],
        [{ email: 'geen-adres' }, 'email'],
        [{ webhookUrl: 'ftp://hooks.example.test/vt', webhookSecret: 'a-secret-of-at-least-16' }, 'webhookUrl'],
        [{ email: 'team@vt.test', colour: 'red' }, 'colour'],
      ];
      for (const [body, field] of cases400) {
        const res = await put(url, 'tom', body);
        expect(`${JSON.stringify(body)}: ${res.statusCode}`).toBe(`${JSON.stringify(body)}: 400`);
        expect(apiError(res.json()).code).toBe('REQUEST.VALIDATION');
        expect(apiError(res.json()).issues.map((i: { field: string }) => i.field)).toContain(field);
      }
      expect(await f.s.db.selectFrom('team_alert_channels').selectAll().execute()).toEqual([]);
    });

    it("a teamleider of another team, a medewerker, a manager and a gemeente get 403", async () => {
      for (const who of ['olga', 'alice', 'mia', 'gert'] as const) {
        const res = await put(url, who, { email: 'team-zwolle@vt.test' });
        expect(`${who}: ${res.statusCode}`).toBe(`${who}: 403`);
        expect(apiError(res.json()).code).toBe('AUTH.FORBIDDEN');
      }
      expect(await f.s.db.selectFrom('team_alert_channels').selectAll().execute()).toEqual([]);
    });

    it("the team's teamleider sets them; the secret is stored but never echoed", async () => {
      const res = await put(url, 'tom', { webhookUrl: 'https://hooks.example.test/vt', webhookSecret: 'zwolle-secret-0123456789', email: 'team-zwolle@vt.test' });
      expect(res.statusCode).toBe(200);
      expect(res.json()).toEqual({ teamId: 'team-zwolle', webhookUrl: 'https://hooks.example.test/vt', webhookSecretSet: true, email: 'team-zwolle@vt.test' });
      expect(res.body).not.toContain('zwolle-secret-0123456789');
      const row = await f.s.db.selectFrom('team_alert_channels').selectAll().where('team_id', '=', 'team-zwolle').executeTakeFirstOrThrow();
      expect(row).toMatchObject({ webhook_url: 'https://hooks.example.test/vt', webhook_secret: 'zwolle-secret-0123456789', email: 'team-zwolle@vt.test', updated_by: 'tom' });
    });

    it('a beheerder may set any team, also one without cases yet; PUT replaces the channels', async () => {
      const res = await put(url, 'bea', { email: 'zwolle-alerts@vt.test' });
      expect(res.statusCode).toBe(200);
      expect(res.json()).toEqual({ teamId: 'team-zwolle', webhookUrl: null, webhookSecretSet: false, email: 'zwolle-alerts@vt.test' });
      const row = await f.s.db.selectFrom('team_alert_channels').selectAll().where('team_id', '=', 'team-zwolle').executeTakeFirstOrThrow();
      expect(row).toMatchObject({ webhook_url: null, webhook_secret: null, email: 'zwolle-alerts@vt.test', updated_by: 'bea' });

      const other = await put('/v1/teams/team-kampen/alert-channels', 'bea', { email: 'kampen@vt.test' });
      expect(other.statusCode).toBe(200);
      expect(await f.s.db.selectFrom('teams').select('id').where('id', '=', 'team-kampen').executeTakeFirst()).toEqual({ id: 'team-kampen' });
      const badTeam = await put('/v1/teams/-bad%20team/alert-channels', 'bea', { email: 'x@vt.test' });
      expect(badTeam.statusCode).toBe(400);
    });
  });
});
