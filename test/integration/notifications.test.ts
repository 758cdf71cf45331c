/**
 * Alert notifications leave the system over real sockets: a signed webhook to a local HTTP server and e-mail to a
 * local SMTP server (smtp-server, not a mock). The same scenarios run in BullMQ mode (real Redis, in-process
 * workers) and in embedded mode (the test calls the reconciler, as the embedded loop would).
 *
 * Time: an OffsetClock on Tuesday 24 Nov 2026 10:00 CET (a werkdag, office hours), with short terms:
 * an acute term of 0.05 minutes (3 s), escalation after 0.05 working minutes (3 s), a delivery backoff of 300 ms
 * doubling per attempt, and 3 attempts at most.
 */
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { SMTPServer } from 'smtp-server';
import { OffsetClock } from '../support/clocks';
import { standardWebhookVerdict } from '../support/standard-webhook';
import { meldingBody } from '../support/test-app';
import { startTestStack, type TestStack } from '../support/test-stack';
import { until } from '../support/poll';

jest.setTimeout(90_000);

const NOW = new Date('2026-11-24T10:00:00+01:00');
const LONG_PASSED = '2026-11-10T10:00:00+01:00';
const BACKOFF_MS = 300;
const MAX_ATTEMPTS = 3;
const PUBLIC_BASE_URL = 'https://vt.example.test';
const WEBHOOK_KEYS = ['alertId', 'level', 'title', 'caseId', 'deadlineKind', 'dueAt', 'teamId', 'createdAt', 'link'];

/** Personal data in the meldingen registered here: none of it may leave in a notification. */
const MELDER_NAME = 'Meldster Quirijnsdochter';
const MELDER_CONTACT = '06-98765432';
const PARENT_NAME = 'Ouder Zwanenburgh';
const CHILD_NAME = 'Kindje Zwanenburgh';
const BSN = '111222333';
const SUMMARY = 'Zorgen over Xylofoonstraat twaalf: vader dreigt met geweld (synthetische testmelding).';
const FORBIDDEN = [MELDER_NAME, 'Quirijnsdochter', MELDER_CONTACT, PARENT_NAME, CHILD_NAME, 'Zwanenburgh', BSN, SUMMARY, 'Xylofoonstraat', 'synthetische testmelding', '1985-04-02', '2017-06-15'];

function privateMelding(overrides: Record<string, unknown> = {}) {
  return meldingBody({
    reporter: { professional: true, sector: 'onderwijs', name: MELDER_NAME, contact: MELDER_CONTACT },
    persons: [
      { role: 'ouder', name: PARENT_NAME, birthDate: '1985-04-02', bsn: BSN },
      { role: 'kind', name: CHILD_NAME, birthDate: '2017-06-15' },
    ],
    summary: SUMMARY,
    ...overrides,
  });
}

interface WebhookMessage {
  alertId: string;
  level: 'warning' | 'breach' | 'escalation';
  title: string;
  caseId: string;
  deadlineKind: string;
  dueAt: string;
  teamId: string;
  createdAt: string;
  link: string;
}

interface ReceivedRequest {
  method: string;
  path: string;
  headers: IncomingHttpHeaders;
  raw: string;
  body: WebhookMessage;
  receivedAt: number;
  answered: number;
}

interface ReceivedMail {
  envelopeFrom: string;
  envelopeTo: string[];
  raw: string;
  /** Headers unfolded and the body decoded from quoted-printable, for matching. */
  plain: string;
  receivedAt: number;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function decodeQuotedPrintable(s: string): string {
  return s.replace(/=\r?\n/g, '').replace(/=([0-9A-F]{2})/g, (_, hex: string) => String.fromCharCode(parseInt(hex, 16)));
}

function expectNoPersonalData(what: string, text: string): void {
  for (const f of FORBIDDEN) if (text.includes(f)) throw new Error(`${what} contains personal data: '${f}'`);
}

// ---- the local receivers: one webhook server and one SMTP server for the whole file ----

const requests: ReceivedRequest[] = [];
const mails: ReceivedMail[] = [];
let webhookServer: Server;
let smtpServer: SMTPServer;
let hookBase = '';
let smtpPort = 0;

/** /ok answers 200; /flaky answers 500 to the first two requests about an alert, then 200; /down always 500. */
function answerFor(path: string, body: WebhookMessage | undefined): number {
  if (path.startsWith('/ok')) return 200;
  if (path.startsWith('/flaky')) {
    const earlier = requests.filter((r) => r.path === path && r.body?.alertId === body?.alertId).length;
    return earlier < 2 ? 500 : 200;
  }
  return 500;
}

beforeAll(async () => {
  webhookServer = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const raw = Buffer.concat(chunks).toString('utf8');
      let body: WebhookMessage | undefined;
      try {
        body = JSON.parse(raw) as WebhookMessage;
      } catch {
        body = undefined;
      }
      const path = req.url ?? '/';
      const answered = answerFor(path, body);
      requests.push({ method: req.method ?? '', path, headers: req.headers, raw, body: body!, receivedAt: Date.now(), answered });
      res.writeHead(answered, { 'content-type': 'text/plain' });
      res.end(answered === 200 ? 'ok' : 'kapot');
    });
  });
  await new Promise<void>((resolve) => webhookServer.listen(0, '127.0.0.1', resolve));
  hookBase = `http://127.0.0.1:${(webhookServer.address() as AddressInfo).port}`;

  smtpServer = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS'],
    logger: false,
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (c: Buffer) => chunks.push(c));
      stream.on('end', () => {
        const raw = Buffer.concat(chunks).toString('utf8');
        const from = session.envelope.mailFrom;
        mails.push({
          envelopeFrom: from ? from.address : '',
          envelopeTo: session.envelope.rcptTo.map((a) => a.address),
          raw,
          plain: decodeQuotedPrintable(raw.replace(/\r\n[ \t]+/g, ' ')),
          receivedAt: Date.now(),
        });
        callback();
      });
    },
  });
  await new Promise<void>((resolve) => smtpServer.listen(0, '127.0.0.1', () => resolve()));
  smtpPort = (smtpServer.server.address() as AddressInfo).port;
});

afterAll(async () => {
  await new Promise<void>((resolve) => webhookServer.close(() => resolve()));
  webhookServer.closeAllConnections?.();
  await new Promise<void>((resolve) => smtpServer.close(() => resolve()));
});

// ---- the scenarios, once per mode ----

describe.each([
  { mode: 'bullmq' as const, redis: true },
  { mode: 'embedded' as const, redis: false },
])('alert notifications ($mode mode)', ({ mode, redis }) => {
  let s: TestStack;
  const tokens: Record<string, string> = {};
  const team = (name: string) => `team-${name}-${mode}`;
  const teamEmail = `team-ok-${mode}@vt.test`;
  const escalationEmail = `escalaties-${mode}@vt.test`;
  const secrets: Record<string, string> = {};

  /** Polls until `fn` yields a value; in embedded mode each round first runs the reconciler, as its loop would. */
  async function waitFor<T>(what: string, fn: () => Promise<T | undefined | null | false> | T | undefined | null | false, timeoutMs = 15_000): Promise<T> {
    const started = Date.now();
    for (;;) {
      if (mode === 'embedded') await s.services.firing.reconcile();
      const value = await fn();
      if (value) return value;
      if (Date.now() - started > timeoutMs) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
      await sleep(10);
    }
  }

  /** Lets time pass while the system keeps working (the reconciler runs in embedded mode). */
  async function idle(ms: number): Promise<void> {
    const until = Date.now() + ms;
    while (Date.now() < until) {
      if (mode === 'embedded') await s.services.firing.reconcile();
      await sleep(10);
    }
  }

  async function setChannels(name: string, body: Record<string, unknown>): Promise<void> {
    const res = await s.request('PUT', `/v1/teams/${team(name)}/alert-channels`, tokens.bea!, body);
    if (res.statusCode !== 200) throw new Error(`alert-channels ${name}: ${res.statusCode} ${res.body}`);
  }

  async function register(name: string, body: unknown): Promise<{ id: string; deadlines: Array<{ id: string; kind: string; dueAt: string }> }> {
    const token = await s.token(`mw-${name}`, 'medewerker', { teams: [team(name)] });
    const res = await s.request('POST', '/v1/meldingen', token, body);
    if (res.statusCode !== 201) throw new Error(`register: ${res.statusCode} ${res.body}`);
    return res.json();
  }

  const alertsOf = (caseId: string) => s.db.selectFrom('alerts').selectAll().where('case_id', '=', caseId).orderBy('seq').execute();
  const alertOf = async (caseId: string, level: string) => (await alertsOf(caseId)).find((a) => a.level === level);
  const deliveriesOf = (alertId: string) => s.db.selectFrom('alert_deliveries').selectAll().where('alert_id', '=', alertId).orderBy('channel').execute();
  const postsFor = (alertId: string) => requests.filter((r) => r.body?.alertId === alertId);
  const mailsAbout = (caseId: string) => mails.filter((m) => m.plain.includes(`/cases/${caseId}`));

  function expectValidSignature(r: ReceivedRequest, secret: string): void {
    // The clock is set to November 2026: the package's sign at the stated timestamp, not its real-time verify.
    expect(standardWebhookVerdict(secret, r.headers, r.raw, { realTime: false })).toEqual({ ok: true });
    expect(r.headers['webhook-signature']).toMatch(/^v1,[A-Za-z0-9+/]{43}=$/);
    // …and only over exactly this body, with this secret.
    expect(standardWebhookVerdict(secret, r.headers, `${r.raw} `, { realTime: false }).ok).toBe(false);
    expect(standardWebhookVerdict('another-secret-of-enough-length', r.headers, r.raw, { realTime: false }).ok).toBe(false);
  }

  beforeAll(async () => {
    s = await startTestStack({
      clock: new OffsetClock(NOW),
      redis,
      env: {
        // The receivers run on loopback, which webhooks may reach only as an allowed internal host.
        WEBHOOK_ALLOWED_HOSTS: '127.0.0.1',
        SMTP_URL: `smtp://127.0.0.1:${smtpPort}`,
        SMTP_FROM: 'vt-alerts@vt.test',
        ESCALATION_EMAIL: escalationEmail,
        DELIVERY_MAX_ATTEMPTS: String(MAX_ATTEMPTS),
        DELIVERY_BACKOFF_MS: String(BACKOFF_MS),
        DEADLINE_ACUTE_MINUTES: '0.05',
        ESCALATION_WORKING_MINUTES: '0.05',
        PUBLIC_BASE_URL,
      },
    });
    if (redis) s.startWorkers();
    tokens.bea = await s.token('bea', 'beheerder');
    for (const name of ['ok', 'flaky', 'down']) secrets[name] = `secret-${name}-${mode}-0123456789abcdef`;
    await setChannels('ok', { webhookUrl: `${hookBase}/ok/${mode}`, webhookSecret: secrets.ok, email: teamEmail });
    await setChannels('flaky', { webhookUrl: `${hookBase}/flaky/${mode}`, webhookSecret: secrets.flaky });
    await setChannels('down', { webhookUrl: `${hookBase}/down/${mode}`, webhookSecret: secrets.down });
  });

  afterAll(async () => s?.close());

  let okCase = '';

  it('a breach of an acute term produces one signed webhook POST with exactly the alert keys, and one e-mail to the team address', async () => {
    const registered = await register('ok', privateMelding({ acuteDanger: true, receivedAt: undefined }));
    okCase = registered.id;
    const acuut = registered.deadlines.find((d) => d.kind === 'acuut')!;
    // 0.05 minutes after receipt.
    expect(new Date(acuut.dueAt).getTime() - s.clock.now().getTime()).toBeLessThanOrEqual(3_000);

    const breach = await waitFor('the breach alert', () => alertOf(okCase, 'breach'));
    const post = await waitFor('the breach webhook', () => postsFor(breach.id)[0]);
    const mail = await waitFor('the breach e-mail', () => mailsAbout(okCase).find((m) => m.plain.includes('Termijn overschreden')));
    await idle(800);

    // Exactly one POST and one e-mail for the breach.
    expect(postsFor(breach.id)).toHaveLength(1);
    expect(mailsAbout(okCase).filter((m) => m.plain.includes('Termijn overschreden') && m.envelopeTo.includes(teamEmail))).toHaveLength(1);

    // The webhook: JSON with exactly these keys, the alert's values, a valid HMAC over `${timestamp}.${body}`.
    expect(post.method).toBe('POST');
    expect(post.path).toBe(`/ok/${mode}`);
    expect(post.headers['content-type']).toMatch(/^application\/json/);
    expect(Object.keys(JSON.parse(post.raw)).sort()).toEqual([...WEBHOOK_KEYS].sort());
    expect(post.body).toEqual({
      alertId: breach.id,
      level: 'breach',
      title: 'Termijn overschreden',
      caseId: okCase,
      deadlineKind: 'acuut',
      dueAt: acuut.dueAt,
      teamId: team('ok'),
      createdAt: breach.created_at.toISOString(),
      link: `${PUBLIC_BASE_URL}/cases/${okCase}`,
    });
    expectValidSignature(post, secrets.ok!);
    expect(Math.abs(Number(post.headers['webhook-timestamp']) * 1000 - s.clock.now().getTime())).toBeLessThan(15_000);
    expect(post.headers['webhook-id']).toBe((await deliveriesOf(post.body.alertId)).find((d) => d.channel === 'webhook')?.id);

    // The e-mail: to the team address, from SMTP_FROM, about this case and deadline.
    expect(mail.envelopeTo).toEqual([teamEmail]);
    expect(mail.envelopeFrom).toBe('vt-alerts@vt.test');
    expect(mail.plain).toMatch(/^Subject: \[Veilig Thuis\] Termijn overschreden: acuut\r?$/m);
    expect(mail.plain).toContain(`Melding: ${PUBLIC_BASE_URL}/cases/${okCase}`);
    expect(mail.plain).toContain(`Team: ${team('ok')}`);

    // Both deliveries are recorded as delivered at the first attempt (recorded after the send: wait for it).
    await until(() => deliveriesOf(breach.id), (ds) => ds.every((d) => d.status !== 'pending'), 5_000);
    expect((await deliveriesOf(breach.id)).map((d) => ({ channel: d.channel, target: d.target, status: d.status, attempts: d.attempts, lastError: d.last_error }))).toEqual([
      { channel: 'email', target: teamEmail, status: 'delivered', attempts: 1, lastError: null },
      { channel: 'webhook', target: `${hookBase}/ok/${mode}`, status: 'delivered', attempts: 1, lastError: null },
    ]);
  });

  it("neither a webhook body nor an e-mail (headers and text) holds a name, a BSN, the summary or the melder's contact", async () => {
    const alerts = await alertsOf(okCase);
    // The acute term warned at receipt (three quarters of 0.05 minutes rounds to 0) and breached after 3 s.
    expect(alerts.map((a) => a.level)).toEqual(expect.arrayContaining(['warning', 'breach']));
    const posts = alerts.flatMap((a) => postsFor(a.id));
    expect(posts.length).toBeGreaterThanOrEqual(2);
    for (const p of posts) {
      expectNoPersonalData(`webhook ${p.body.level}`, p.raw);
      expectNoPersonalData(`webhook ${p.body.level} headers`, JSON.stringify(p.headers));
      expect(Object.keys(p.body).sort()).toEqual([...WEBHOOK_KEYS].sort());
      expectValidSignature(p, secrets.ok!);
    }
    const sent = mailsAbout(okCase);
    expect(sent.length).toBeGreaterThanOrEqual(2);
    for (const m of sent) {
      expectNoPersonalData('e-mail (raw)', m.raw);
      expectNoPersonalData('e-mail (decoded)', m.plain);
    }
    // The data is there to leak: it is in the case itself.
    const tl = await s.token('tl-ok', 'teamleider', { teams: [team('ok')] });
    expect((await s.request('GET', `/v1/cases/${okCase}`, tl)).body).toContain(PARENT_NAME);
  });

  it('an unacknowledged breach escalates: the escalation e-mail goes to ESCALATION_EMAIL, not to the team address', async () => {
    const escalation = await waitFor('the escalation alert', () => alertOf(okCase, 'escalation'));
    const breach = (await alertOf(okCase, 'breach'))!;
    expect(escalation.created_at.getTime()).toBeGreaterThanOrEqual(breach.escalate_at!.getTime());
    const mail = await waitFor('the escalation e-mail', () => mailsAbout(okCase).find((m) => m.plain.includes('Escalatie')));
    const hook = await waitFor('the escalation webhook', () => postsFor(escalation.id)[0]);
    await idle(500);

    expect(mail.envelopeTo).toEqual([escalationEmail]);
    expect(mail.plain).toMatch(/^Subject: \[Veilig Thuis\] Escalatie: overschrijding niet opgepakt: acuut\r?$/m);
    expect(mailsAbout(okCase).filter((m) => m.plain.includes('Escalatie'))).toHaveLength(1);
    expect(mailsAbout(okCase).filter((m) => m.envelopeTo.includes(teamEmail)).every((m) => !m.plain.includes('Escalatie'))).toBe(true);
    expectNoPersonalData('escalation e-mail', mail.raw);
    expectNoPersonalData('escalation e-mail (decoded)', mail.plain);

    expect(hook.body).toMatchObject({ alertId: escalation.id, level: 'escalation', caseId: okCase, deadlineKind: 'acuut' });
    expectValidSignature(hook, secrets.ok!);
    expect(postsFor(escalation.id)).toHaveLength(1);
    expect((await deliveriesOf(escalation.id)).map((d) => [d.channel, d.target, d.status])).toEqual([
      ['email', escalationEmail, 'delivered'],
      ['webhook', `${hookBase}/ok/${mode}`, 'delivered'],
    ]);
  });

  it('an acknowledged breach does not escalate', async () => {
    const registered = await register('ok', meldingBody({ receivedAt: LONG_PASSED }));
    const breach = await waitFor('the breach alert', () => alertOf(registered.id, 'breach'));
    const tl = await s.token('tl-ok', 'teamleider', { teams: [team('ok')] });
    const ack = await s.request('POST', `/v1/alerts/${breach.id}/ack`, tl, { note: 'Direct opgepakt.' });
    expect(ack.statusCode).toBe(200);
    // Acknowledged before the escalation moment, which then passes.
    expect(new Date(ack.json<{ acknowledgedAt: string }>().acknowledgedAt).getTime()).toBeLessThan(breach.escalate_at!.getTime());
    await idle(Math.max(0, breach.escalate_at!.getTime() - s.clock.now().getTime()) + 1_500);
    expect((await alertsOf(registered.id)).map((a) => a.level)).toEqual(['breach']);
    expect(mailsAbout(registered.id).filter((m) => m.plain.includes('Escalatie'))).toEqual([]);
  });

  it('a webhook that answers 500 twice and then 200 is delivered at the third attempt, after waits that grow', async () => {
    const registered = await register('flaky', privateMelding({ receivedAt: LONG_PASSED }));
    const breach = await waitFor('the breach alert', () => alertOf(registered.id, 'breach'));
    const delivery = await waitFor('the delivery to be delivered', async () => (await deliveriesOf(breach.id)).find((d) => d.status === 'delivered'));
    await idle(600);
    expect({ channel: delivery.channel, status: delivery.status, attempts: delivery.attempts, lastError: delivery.last_error }).toEqual({
      channel: 'webhook',
      status: 'delivered',
      attempts: 3,
      lastError: null,
    });
    const posts = postsFor(breach.id);
    expect(posts.map((p) => p.answered)).toEqual([500, 500, 200]);
    for (const p of posts) {
      expectValidSignature(p, secrets.flaky!);
      expect(p.raw).toBe(posts[0]!.raw);
      expectNoPersonalData('retried webhook', p.raw);
    }
    const gaps = [posts[1]!.receivedAt - posts[0]!.receivedAt, posts[2]!.receivedAt - posts[1]!.receivedAt];
    // backoff × 2^(attempt − 1): 300 ms, then 600 ms.
    expect(gaps[0]).toBeGreaterThanOrEqual(BACKOFF_MS - 25);
    expect(gaps[1]).toBeGreaterThanOrEqual(2 * BACKOFF_MS - 25);
    expect(gaps[1]).toBeGreaterThan(gaps[0]!);
  });

  it('a webhook that always answers 500 ends dead after DELIVERY_MAX_ATTEMPTS, and the beheerder sees it in the dead letters', async () => {
    const registered = await register('down', privateMelding({ receivedAt: LONG_PASSED }));
    const breach = await waitFor('the breach alert', () => alertOf(registered.id, 'breach'));
    const dead = await waitFor('the delivery to be dead', async () => (await deliveriesOf(breach.id)).find((d) => d.status === 'dead'));
    await idle(1_000);
    expect({ channel: dead.channel, target: dead.target, attempts: dead.attempts, lastError: dead.last_error }).toEqual({
      channel: 'webhook',
      target: `${hookBase}/down/${mode}`,
      attempts: MAX_ATTEMPTS,
      lastError: 'webhook answered 500',
    });
    // Exactly MAX_ATTEMPTS requests, no more after it went dead.
    const posts = postsFor(breach.id);
    expect(posts.map((p) => p.answered)).toEqual([500, 500, 500]);
    for (const p of posts) expectValidSignature(p, secrets.down!);
    const gaps = [posts[1]!.receivedAt - posts[0]!.receivedAt, posts[2]!.receivedAt - posts[1]!.receivedAt];
    expect(gaps[0]).toBeGreaterThanOrEqual(BACKOFF_MS - 25);
    expect(gaps[1]).toBeGreaterThanOrEqual(2 * BACKOFF_MS - 25);
    expect(gaps[1]).toBeGreaterThan(gaps[0]!);

    const res = await s.request('GET', '/v1/admin/dead-letters', tokens.bea!);
    expect(res.statusCode).toBe(200);
    const items = res.json<{ items: Array<Record<string, unknown>> }>().items;
    expect(items.filter((i) => i.alertId === breach.id)).toEqual([
      { id: dead.id, alertId: breach.id, channel: 'webhook', target: `${hookBase}/down/${mode}`, attempts: MAX_ATTEMPTS, lastError: 'webhook answered 500', updatedAt: dead.updated_at.toISOString() },
    ]);
    expectNoPersonalData('dead letters', res.body);
    const tl = await s.token('tl-down', 'teamleider', { teams: [team('down')] });
    expect((await s.request('GET', '/v1/admin/dead-letters', tl)).statusCode).toBe(403);
  });
});
