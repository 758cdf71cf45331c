/**
 * The dead-letter list (src/deadlines/dead-letter.service.ts): for a beheerder only. The stack: test/support/alerts-stack.ts.
 */
import { apiError } from '../support/api-error';
import { useAlertsStack } from '../support/alerts-stack';

jest.setTimeout(60_000);

describe('dead letters (BullMQ on real Redis, in-process workers)', () => {
  const f = useAlertsStack('bullmq');
  const { get } = f;

  describe('GET /v1/admin/dead-letters', () => {
    it('is for a beheerder only', async () => {
      const res = await get('/v1/admin/dead-letters', 'bea');
      expect(res.statusCode).toBe(200);
      expect(res.json()).toEqual({ items: [] });
      for (const who of ['alice', 'tom', 'mia', 'gert'] as const) {
        const r = await get('/v1/admin/dead-letters', who);
        expect(`${who}: ${r.statusCode}`).toBe(`${who}: 403`);
        expect(apiError(r.json()).code).toBe('AUTH.FORBIDDEN');
      }
      expect((await f.s.request('GET', '/v1/admin/dead-letters', null)).statusCode).toBe(401);
      expect((await get('/v1/admin/dead-letters?limit=0', 'bea')).statusCode).toBe(400);
    });
  });
});
