/// <reference lib="dom" />
/**
 * Bull Board (/admin/queues) in real headless Chromium under the service's own Content-Security-Policy: a beheerder
 * signs in on the form with a token, lands on the board, and sees both queues and a job; no script is refused by the
 * CSP and nothing is loaded from another origin (the board's web-font link is taken out: system fonts).
 */
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import type { Browser } from 'playwright-core';
import { OffsetClock } from '../support/clocks';
import { meldingBody } from '../support/test-app';
import { startTestStack, type TestStack } from '../support/test-stack';
import { launchChromium } from './chromium';

jest.setTimeout(120_000);

describe('Bull Board in Chromium', () => {
  let stack: TestStack;
  let browser: Browser;
  let baseUrl: string;

  beforeAll(async () => {
    stack = await startTestStack({ clock: new OffsetClock(new Date()) });
    await stack.app.listen({ host: '127.0.0.1', port: 0 });
    baseUrl = `http://127.0.0.1:${(stack.app.server.address() as AddressInfo).port}`;
    browser = await launchChromium();
  });
  afterAll(async () => {
    await browser?.close();
    await stack?.close();
  });

  it('a beheerder signs in with a token and sees the queues and their jobs; the CSP refuses no script', async () => {
    const alice = await stack.token('alice', 'medewerker', { teams: ['team-zwolle'] });
    // A melding whose assessment term ended long ago: the reconciler breaches it, and the breach's escalation is a
    // delayed job (deadline timers are no jobs: they live in the timer index).
    expect((await stack.request('POST', '/v1/meldingen', alice, meldingBody({ receivedAt: '2026-09-01T10:00:00+02:00' }))).statusCode).toBe(201);
    expect((await stack.services.firing.reconcile()).breaches).toBe(1);
    const ben = await stack.token('ben', 'beheerder');

    const context = await browser.newContext({ viewport: { width: 1366, height: 860 } });
    const page = await context.newPage();
    const console: string[] = [];
    const requested: string[] = [];
    page.on('console', (msg) => console.push(msg.text()));
    page.on('request', (req) => requested.push(req.url()));

    // Without the cookie the board is refused (401 problem details), so a browser starts at the sign-in form.
    expect((await page.goto(`${baseUrl}/admin/queues`))?.status()).toBe(401);
    await page.goto(`${baseUrl}/admin/queues/sign-in`);
    await page.fill('#token', ben);
    await Promise.all([page.waitForURL(`${baseUrl}/admin/queues`), page.click('button[type=submit]')]);
    await page.waitForFunction(() => document.body.innerText.includes('deadlines') && document.body.innerText.includes('notifications'), undefined, { timeout: 30_000 });
    await page.goto(`${baseUrl}/admin/queues/queue/deadlines?status=delayed`);
    await page.waitForFunction(() => document.body.innerText.includes('alert-escalate'), undefined, { timeout: 30_000 });
    await page.screenshot({ path: join(__dirname, '../../docs/screenshots/queue-board.png') });

    const cookies = await context.cookies();
    expect(cookies.map((c) => ({ name: c.name, path: c.path, httpOnly: c.httpOnly, sameSite: c.sameSite }))).toEqual([{ name: 'vt_queue_board', path: '/admin/queues', httpOnly: true, sameSite: 'Strict' }]);
    const violations = console.filter((line) => /Content.Security.Policy|Refused to/i.test(line));
    // Nothing refused, and nothing fetched from another origin (the board's web-font link is taken out).
    expect(violations).toEqual([]);
    expect(requested.filter((url) => !url.startsWith(baseUrl) && !url.startsWith('data:'))).toEqual([]);
    await context.close();
  });
});
