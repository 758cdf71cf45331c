/**
 * Server-side request forgery: a team's webhook URL may not point into the network the service runs in. Refused
 * when saved (the URL, and every address its name resolves to) and again at send time against the address the
 * connection uses; redirects are not followed; WEBHOOK_ALLOWED_HOSTS names a region's own internal receivers.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { apiError } from '../support/api-error';
import { startTestApp, type TestApp } from '../support/test-app';
import { postWebhook } from '../../src/deadlines/webhook-post';
import { checkWebhookUrl, parseAllowedHosts, pinnedPublicLookup, type WebhookPolicy } from '../../src/deadlines/webhook-target';

jest.setTimeout(60_000);

const strict: WebhookPolicy = { httpsOnly: false, allowedHosts: new Set() };

const REFUSED = [
  'http://169.254.169.254/latest/meta-data/',
  'http://127.0.0.1:3000/v1/meldingen',
  'http://127.1/',
  'http://2130706433/',
  'http://0177.0.0.1/',
  'http://0x7f000001/',
  'http://0x7f.0.0.1/',
  'http://[::1]/',
  'http://[::ffff:127.0.0.1]/',
  'http://[::ffff:7f00:1]/',
  'http://[0:0:0:0:0:ffff:a9fe:a9fe]/',
  'http://10.0.0.1/',
  'http://172.16.5.4/',
  'http://192.168.1.1/',
  'http://100.64.0.1/',
  'http://224.0.0.1/',
  'http://0.0.0.0/',
  'http://255.255.255.255/',
  'http://[fc00::1]/',
  'http://[fd12:3456::1]/',
  'http://[fe80::1]/',
  'http://[ff02::1]/',
  'http://[64:ff9b::7f00:1]/',
  'http://[2002:7f00:1::]/',
  'http://localhost/',
  'http://LOCALHOST./',
];

describe('webhook targets', () => {
  let t: TestApp;
  let tom: string;
  const receivers: Server[] = [];
  let received: string[] = [];

  async function receiver(handler: (path: string) => { status: number; location?: string }): Promise<string> {
    const server = createServer((req, res) => {
      received.push(req.url ?? '');
      const answer = handler(req.url ?? '');
      res.writeHead(answer.status, answer.location ? { location: answer.location } : {});
      res.end();
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    receivers.push(server);
    return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  }

  beforeAll(async () => {
    t = await startTestApp();
    tom = await t.token('tom', 'teamleider', { teams: ['team-zwolle'] });
  });
  beforeEach(() => {
    received = [];
  });
  afterAll(async () => {
    await Promise.all(receivers.map((s) => new Promise((r) => s.close(r))));
    await t.close();
  });

  const put = (webhookUrl: string, app = t, token = tom) => app.request('PUT', '/v1/teams/team-zwolle/alert-channels', token, { webhookUrl, webhookSecret: 'a-secret-of-at-least-16-chars' });

  it.each(REFUSED)('saving %s is a 400 naming webhookUrl, and nothing is stored', async (url) => {
    const res = await put(url);
    expect({ status: res.statusCode, fields: apiError(res.json()).issues.map((i) => i.field) }).toEqual({ status: 400, fields: ['webhookUrl'] });
    const stored = await t.db.selectFrom('team_alert_channels').select('webhook_url').where('team_id', '=', 'team-zwolle').executeTakeFirst();
    expect(stored?.webhook_url ?? null).not.toBe(url);
  });

  it('a public address and a name that does not resolve here are accepted when saved (send time checks again)', async () => {
    expect((await put('https://93.184.215.14/vt')).statusCode).toBe(200);
    expect((await put('https://hooks.example.test/vt')).statusCode).toBe(200);
  });

  it('https only in production; no credentials in the URL', () => {
    expect(() => checkWebhookUrl('http://93.184.215.14/vt', { httpsOnly: true, allowedHosts: new Set() })).toThrow(/https/);
    expect(() => checkWebhookUrl('https://93.184.215.14/vt', { httpsOnly: true, allowedHosts: new Set() })).not.toThrow();
    expect(() => checkWebhookUrl('https://user:pw@93.184.215.14/vt', strict)).toThrow(/credentials/);
    expect(() => checkWebhookUrl('ftp://93.184.215.14/vt', strict)).toThrow(/http/);
  });

  it('at send time a loopback target saved earlier is refused without a connection, and a name is checked where it resolves', async () => {
    const base = await receiver(() => ({ status: 204 }));
    await expect(postWebhook(`${base}/hook`, {}, '{}', strict)).rejects.toThrow(/loopback/);
    const port = new URL(base).port;
    await expect(postWebhook(`http://localhost:${port}/hook`, {}, '{}', strict)).rejects.toThrow(/loopback/);
    expect(received).toEqual([]);
  });

  it('the connection is made to the address the lookup checked (pinned), and the lookup refuses a name resolving inward', async () => {
    const answers = await new Promise<{ err: unknown }>((resolve) => pinnedPublicLookup('localhost', {}, (err) => resolve({ err })));
    expect(String(answers.err)).toMatch(/loopback/);
  });

  it('an allowed internal host (WEBHOOK_ALLOWED_HOSTS) is reached; redirects are never followed', async () => {
    const allowLoopback: WebhookPolicy = { httpsOnly: false, allowedHosts: parseAllowedHosts('127.0.0.1') };
    const target = await receiver(() => ({ status: 204 }));
    const redirecting = await receiver(() => ({ status: 302, location: `${target}/landed` }));
    await expect(postWebhook(`${target}/ok`, {}, '{}', allowLoopback)).resolves.toBeUndefined();
    await expect(postWebhook(`${redirecting}/moved`, {}, '{}', allowLoopback)).rejects.toThrow(/302; redirects are not followed/);
    expect(received).toEqual(['/ok', '/moved']);
  });

  it('with WEBHOOK_ALLOWED_HOSTS the named host may be saved, other internal ones still not', async () => {
    const allowing = await startTestApp({ env: { WEBHOOK_ALLOWED_HOSTS: 'alerts.regio.internal, 127.0.0.1' } });
    try {
      const token = await allowing.token('tom', 'teamleider', { teams: ['team-zwolle'] });
      expect((await put('http://127.0.0.1:8080/hook', allowing, token)).statusCode).toBe(200);
      expect((await put('http://alerts.regio.internal/hook', allowing, token)).statusCode).toBe(200);
      expect((await put('http://10.0.0.7/hook', allowing, token)).statusCode).toBe(400);
      expect((await put('http://[::1]:8080/hook', allowing, token)).statusCode).toBe(400);
    } finally {
      await allowing.close();
    }
  });
});
