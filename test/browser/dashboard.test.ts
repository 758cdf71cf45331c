import { OPEN_STATES } from '../../workflows/melding';
/// <reference lib="dom" />
/**
 * The dashboard in real headless Chromium, against the real API on real PostgreSQL and Redis (BullMQ timer and
 * workers in process). Data: synthetic meldingen from the seed (one year for the region) plus meldingen registered
 * here through the API.
 *
 * Time: an OffsetClock on Tuesday 24 Nov 2026 09:00 CET. While the teamleider's page is open, the clock jumps to a
 * few seconds before the end of that day, and a melding received on Tuesday 17 Nov is registered: its
 * safety-assessment term (end of the 5th werkdag, 24 Nov) lapses seconds later, BullMQ fires the breach, and the
 * alert must appear on the open page without a reload.
 *
 * The page is served with a strict Content-Security-Policy; any violation fails the test. Screenshots of the views
 * go to docs/screenshots/ (shown in the README).
 */
import { mkdirSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { syncRegion } from '../../src/reference/gemeente.repository';
import { syntheticSettings } from '../../tools/seed/synthetic-meldingen';
import { seedSyntheticMeldingen } from '../../tools/seed/synthetic/seed-runner';
import { OffsetClock } from '../support/clocks';
import { parseConfig } from '../../src/config/config';
import { meldingBody, TEST_JWT_SECRET } from '../support/test-app';
import { createTestDatabase, type TestDatabase } from '../support/test-database';
import { startTestStack, type TestStack } from '../support/test-stack';
import { launchChromium, openStrictPage } from './chromium';

jest.setTimeout(120_000);

const NOW = new Date('2026-11-24T09:00:00+01:00');
const TEAM = 'team-gm0193';
const SCREENSHOTS = join(__dirname, '../../docs/screenshots');
const VIEWPORT = { width: 1366, height: 860 };

interface Figure {
  value: number | null;
  suppressed: boolean;
}

describe('the dashboard in Chromium', () => {
  let database: TestDatabase;
  let stack: TestStack;
  let clock: OffsetClock;
  let browser: Browser;
  let baseUrl: string;
  const contexts: BrowserContext[] = [];
  const cspViolations: string[] = [];
  const requestedUrls: string[] = [];
  const tokens: string[] = [];

  async function token(sub: string, role: 'medewerker' | 'teamleider' | 'manager' | 'gemeente', opts: { teams?: string[]; gemeente?: string } = {}) {
    const t = await stack.token(sub, role, opts);
    tokens.push(t);
    return t;
  }

  /** A fresh browser context (its own sessionStorage), signed in by pasting the token, as a person would. */
  async function signIn(t: string): Promise<Page> {
    // Every page under a strict CSP: self-hosted scripts only, no inline script or style, no eval.
    const { context, page } = await openStrictPage(browser, baseUrl, { viewport: VIEWPORT, cspViolations, requestedUrls });
    contexts.push(context);
    await page.goto(`${baseUrl}/`);
    await page.getByLabel('Toegangstoken').fill(t);
    await page.getByRole('button', { name: 'Aanmelden' }).click();
    return page;
  }

  async function register(t: string, receivedAt: string, overrides: Record<string, unknown> = {}): Promise<string> {
    const res = await stack.request('POST', '/v1/meldingen', t, meldingBody({ receivedAt, teamId: TEAM, ...overrides }));
    expect(res.statusCode).toBe(201);
    return res.json<{ id: string }>().id;
  }

  async function until<T>(what: string, fn: () => Promise<T | null | undefined | false>, timeoutMs = 15_000): Promise<T> {
    const started = Date.now();
    for (;;) {
      const v = await fn();
      if (v) return v;
      if (Date.now() - started > timeoutMs) throw new Error(`timed out waiting for ${what}`);
      await new Promise((r) => setTimeout(r, 100));
    }
  }

  beforeAll(async () => {
    mkdirSync(SCREENSHOTS, { recursive: true });
    browser = await launchChromium();
    clock = new OffsetClock(NOW);
    database = await createTestDatabase();
    const cfg = parseConfig({ NODE_ENV: 'test', AUTH_JWT_SECRET: TEST_JWT_SECRET, DATABASE_URL: database.url });
    await syncRegion(database.db, cfg.region);
    // One year of synthetic meldingen for the region: enough for counts that pass disclosure control, and small
    // gemeenten and rare categories whose cells are suppressed.
    await seedSyntheticMeldingen(database.db, {
      settings: syntheticSettings(cfg),
      run: { seed: 'dashboard', count: 2400, now: clock.now(), years: 1 },
      batchSize: 600,
      workers: 0,
      verifyEvery: 400,
      copyUrl: database.url,
    });
    stack = await startTestStack({ clock, database });
    stack.startWorkers();
    await stack.app.listen({ host: '127.0.0.1', port: 0 });
    baseUrl = `http://127.0.0.1:${(stack.app.server.address() as AddressInfo).port}`;
  });

  afterAll(async () => {
    for (const c of contexts) await c.close().catch(() => undefined);
    await browser?.close();
    await stack?.close();
    await database?.drop();
  });

  afterEach(() => {
    expect(cspViolations).toEqual([]);
    // Nothing secret or personal in any URL the browser asked for: no token, no names from the meldingen.
    for (const url of requestedUrls) {
      for (const t of tokens) expect(url).not.toContain(t);
      expect(url).not.toMatch(/Testouder|Testkind|Testmelder/);
    }
  });

  let liveCaseId: string;

  it('a teamleider sees a new breach alert arrive without reloading, and acknowledges it with the keyboard', async () => {
    const medewerker = await token('mw-zwolle', 'medewerker', { teams: [TEAM] });
    const tl = await token('tl-zwolle', 'teamleider', { teams: [TEAM] });

    // A melding whose term lapsed long ago: its breach alert is open before the page opens.
    const oldCase = await register(medewerker, '2026-11-10T10:00:00+01:00');
    await until('the old breach alert', async () => {
      const res = await stack.request('GET', '/v1/alerts?status=open&level=breach', tl);
      return res.json<{ items: Array<{ caseId: string }> }>().items.some((a) => a.caseId === oldCase);
    });

    const page = await signIn(tl);
    await page.getByRole('heading', { name: 'Signalen en zaken', level: 1 }).waitFor();
    await page.locator('.stream-status[data-status="verbonden"]').waitFor();
    await page.locator(`li[data-level="breach"]:has(a[href="#/zaak/${oldCase}"])`).waitFor();
    // Marks this page load; a reload would lose it.
    await page.evaluate(() => document.body.setAttribute('data-loaded-once', 'ja'));

    // The clock jumps to 8 seconds before the end of 24 Nov; a melding received 17 Nov is due then.
    const received = '2026-11-17T10:00:00+01:00';
    const due = stack.services.calendar.endOfWerkdagenAfter(new Date(received), 5);
    expect(due.toISOString()).toBe(new Date('2026-11-24T23:59:59.999+01:00').toISOString());
    clock.jump(due.getTime() - 8_000 - clock.now().getTime());
    liveCaseId = await register(medewerker, received);
    const caseView = (await stack.request('GET', `/v1/cases/${liveCaseId}`, tl)).json<{ deadlines: Array<{ kind: string; dueAt: string; status: string }> }>();
    expect(caseView.deadlines.find((d) => d.kind === 'veiligheidsbeoordeling')).toMatchObject({ dueAt: due.toISOString(), status: 'open' });

    // Not breached yet; BullMQ fires at the due moment and the stream brings the alert to the open page.
    const breachItem = page.locator(`li[data-level="breach"]:has(a[href="#/zaak/${liveCaseId}"])`);
    expect(await breachItem.count()).toBe(0);
    await breachItem.waitFor({ timeout: 25_000 });
    expect(clock.now().getTime()).toBeGreaterThanOrEqual(due.getTime());
    expect(await page.evaluate(() => document.body.getAttribute('data-loaded-once'))).toBe('ja');
    await expect(page.locator('[aria-live="polite"]').textContent()).resolves.toContain('Termijn overschreden');

    // The case list, refreshed, shows the case as past its term (red, with the words).
    await page.getByRole('button', { name: 'Vernieuwen' }).click();
    const row = page.locator(`tr[data-case-id="${liveCaseId}"]`);
    await row.waitFor();
    await expect(row.locator('[data-urgency]').getAttribute('data-urgency')).resolves.toBe('verlopen');
    // Rows come nearest term first, as the API sorts them; the colours follow werkdagen left.
    const urgencies = await page.locator('table.cases [data-urgency]').evaluateAll((els) => els.map((e) => e.getAttribute('data-urgency')));
    expect(urgencies.length).toBeGreaterThan(3);
    expect(new Set(urgencies).size).toBeGreaterThan(1);
    await page.screenshot({ path: join(SCREENSHOTS, 'teamleider.png') });


    // Keyboard only: Tab to this alert's acknowledge button, press Enter.
    const ack = breachItem.getByRole('button', { name: /Afhandelen/ });
    const ackId = await breachItem.getAttribute('data-alert-id');
    // From the Vernieuwen button just used, back up the tab order to the alerts, which come before the case list.
    await expect(page.getByRole('button', { name: 'Vernieuwen' }).evaluate((el) => el === document.activeElement)).resolves.toBe(true);
    let focused = false;
    for (let i = 0; i < 40 && !focused; i++) {
      await page.keyboard.press('Shift+Tab');
      focused = await ack.evaluate((el) => el === document.activeElement);
    }
    expect(focused).toBe(true);
    await page.keyboard.press('Enter');
    await breachItem.waitFor({ state: 'detached' });

    const acked = (await stack.request('GET', '/v1/alerts?status=acknowledged', tl)).json<{ items: Array<{ alertId: string; acknowledgedBy: string | null }> }>();
    expect(acked.items.find((a) => a.alertId === ackId)).toMatchObject({ acknowledgedBy: 'tl-zwolle' });
    const history = (await stack.request('GET', `/v1/cases/${liveCaseId}/history`, tl)).json<{ items: Array<{ type: string; actor: { id: string } }> }>();
    expect(history.items.map((e) => e.type)).toContain('ALERT_ACKNOWLEDGED');

    // The team has more open cases than one page: the next page follows the API's cursor, in the same order.
    const openStates = OPEN_STATES.join(',');
    const first = (await stack.request('GET', `/v1/cases?state=${openStates}&limit=100`, tl)).json<{ items: Array<{ id: string }>; nextCursor: string | null }>();
    expect(first.nextCursor).not.toBeNull();
    const second = (await stack.request('GET', `/v1/cases?state=${openStates}&limit=100&cursor=${encodeURIComponent(first.nextCursor!)}`, tl)).json<{ items: Array<{ id: string }> }>();
    await page.getByRole('button', { name: 'Meer zaken laden' }).click();
    await expect(page.locator('table.cases tbody tr').nth(100).getAttribute('data-case-id')).resolves.toBe(second.items[0]!.id);
    const shownIds = await page.locator('table.cases tbody tr').evaluateAll((trs) => trs.map((tr) => tr.getAttribute('data-case-id')));
    expect(shownIds).toEqual([...first.items, ...second.items].map((c) => c.id));
  });

  it('a case page shows its timeline, its deadlines, and the machine diagram with the current state highlighted', async () => {
    const tl = await token('tl-zwolle', 'teamleider', { teams: [TEAM] });
    const page = await signIn(tl);
    await page.goto(`${baseUrl}/#/zaak/${liveCaseId}`);
    await page.getByRole('heading', { name: `Zaak ${liveCaseId.slice(0, 8)}` }).waitFor();

    const svg = page.locator('figure.diagram svg');
    await expect(svg.getAttribute('data-current-state')).resolves.toBe('veiligheidsbeoordeling');
    await expect(page.locator('g.node.current').count()).resolves.toBe(1);
    await expect(page.locator('g.node.current').getAttribute('data-state')).resolves.toBe('veiligheidsbeoordeling');
    // Every state of the machine definition is drawn, with the transitions between them.
    const definition = (await stack.request('GET', '/v1/workflow/melding/definition', tl)).json<{ states: Array<{ id: string }>; transitions: Array<{ internal: boolean }> }>();
    await expect(page.locator('g.node').count()).resolves.toBe(definition.states.length);
    expect(await page.locator('g.edge').count()).toBeGreaterThan(10);

    const timeline = page.locator('ol.timeline');
    await expect(timeline.textContent()).resolves.toMatch(/Melding geregistreerd door mw-zwolle/);
    await expect(timeline.textContent()).resolves.toMatch(/Signaal afgehandeld door tl-zwolle/);
    const terms = await page.locator('section[aria-labelledby="termijnen-kop"] tbody tr').allTextContents();
    expect(terms.some((t) => t.includes('Veiligheidsbeoordeling') && t.includes('overschreden'))).toBe(true);

    // A seeded case further along: the diagram follows the case.
    const list = (await stack.request('GET', `/v1/cases?state=onderzoek&team=${TEAM}&limit=1`, tl)).json<{ items: Array<{ id: string }> }>();
    const onderzoekCase = list.items[0]!.id;
    await page.goto(`${baseUrl}/#/zaak/${onderzoekCase}`);
    await page.getByRole('heading', { name: `Zaak ${onderzoekCase.slice(0, 8)}` }).waitFor();
    await expect(page.locator('g.node.current').getAttribute('data-state')).resolves.toBe('onderzoek');
    await expect(page.getByTestId('case-state').textContent()).resolves.toBe('Onderzoek');
    await page.screenshot({ path: join(SCREENSHOTS, 'zaak.png'), fullPage: true });
  });

  it('a gemeente user sees the charts with suppressed cells marked, never as zero, and cannot open a case page', async () => {
    const gm = await token('analist-zwolle', 'gemeente', { gemeente: 'GM0193' });
    const page = await signIn(gm);
    await page.getByRole('heading', { name: /Wachtlijst en meldingen – Zwolle/ }).waitFor();
    await page.getByTestId('chart-severity').waitFor();
    await expect(page.locator('.chart canvas').count()).resolves.toBe(6);
    for (const summary of await page.locator('details > summary').all()) await summary.click();

    // The shown month's case mix, cell for cell against the API: suppressed figures say so; none is drawn as 0.
    const monthLabel = await page.locator('#maand-keuze option:checked').textContent();
    const months = lastYear(clock.now());
    const api = (await stack.request('GET', `/v1/metrics/wachtlijst?gemeente=GM0193&from=${months.from}&to=${months.to}`, gm)).json<{
      months: Array<{ month: string; complete: boolean; gemeente: Record<string, unknown>; region: Record<string, unknown>; regionAtGemeenteDetail: Record<string, unknown> }>;
    }>();
    const shown = [...api.months].reverse().find((m) => m.complete)!;
    expect(monthLabel).toContain(new Intl.DateTimeFormat('nl-NL', { month: 'short', year: 'numeric', timeZone: 'UTC' }).format(new Date(`${shown.month}-01T00:00:00Z`)));
    const mixFigures = (scope: Record<string, unknown>): Figure[] => [
      scope.received as Figure,
      ...Object.values(scope.byViolenceType as Record<string, Figure>),
      ...Object.values(scope.bySeverity as Record<string, Figure>),
    ];
    // The region beside the gemeente at the gemeente's own detail (its report plan).
    const expected = [mixFigures(shown.gemeente), mixFigures(shown.regionAtGemeenteDetail)];
    const rows = await page.getByTestId('table-mix').locator('tbody tr').evaluateAll((trs) =>
      trs.map((tr) => [...tr.querySelectorAll('td')].map((td) => ({ suppressed: td.getAttribute('data-suppressed') === 'true', text: td.textContent ?? '' }))),
    );
    expect(rows).toHaveLength(expected[0]!.length);
    let suppressedCells = 0;
    rows.forEach((cells, i) => {
      cells.forEach((cell, scope) => {
        const f = expected[scope]![i]!;
        expect(cell.suppressed).toBe(f.suppressed);
        if (f.suppressed) {
          suppressedCells += 1;
          expect(cell.text).toBe('onderdrukt');
        } else {
          expect(cell.text).toBe(f.value!.toLocaleString('nl-NL'));
        }
      });
    });
    expect(suppressedCells).toBeGreaterThan(0);
    expect(rows.flat().some((c) => !c.suppressed)).toBe(true);
    // The charts hatch the places of suppressed cells: as many marks in the two case-mix charts as suppressed
    // cells among their categories (the table adds the total row).
    const marks = async (id: string) => Number(await page.getByTestId(id).getAttribute('data-suppressed-marks'));
    const totalSuppressed = [shown.gemeente, shown.regionAtGemeenteDetail].filter((s) => (s.received as Figure).suppressed).length;
    expect((await marks('chart-type')) + (await marks('chart-severity'))).toBe(suppressedCells - totalSuppressed);
    await expect(page.getByTestId('table-trend').locator('td[data-suppressed="true"]').count()).resolves.toBeGreaterThan(0);
    await expect(page.getByTestId('table-trend').locator('td.num').count()).resolves.toBeGreaterThan(0);
    await page.screenshot({ path: join(SCREENSHOTS, 'gemeente.png'), fullPage: true });

    // No case pages for a gemeente: not in the menu, refused by the page, and by the API.
    await expect(page.getByRole('link', { name: 'Signalen en zaken' }).count()).resolves.toBe(0);
    await page.goto(`${baseUrl}/#/zaak/${liveCaseId}`);
    await page.getByRole('alert').filter({ hasText: 'niet beschikbaar voor uw rol' }).waitFor();
    await expect(page.getByTestId('case-state').count()).resolves.toBe(0);
    const status = await page.evaluate(
      async ([id, t]) => (await fetch(`/v1/cases/${id}`, { headers: { authorization: `Bearer ${t}` } })).status,
      [liveCaseId, gm] as const,
    );
    expect(status).toBe(403);
  });

  it('the quality view shows the inspection figures, each linking to the cases that fall short', async () => {
    const tl = await token('tl-zwolle', 'teamleider', { teams: [TEAM] });
    const page = await signIn(tl);
    await page.getByRole('link', { name: 'Kwaliteit', exact: true }).click();
    const table = page.getByTestId('quality-table');
    await table.waitFor();
    // One row per figure of GET /v1/quality: the three per-person figures and the plan van aanpak figure included.
    await expect(table.locator('tbody tr').count()).resolves.toBe(19);
    const links = table.locator('a[href^="#/zaak/"]');
    expect(await links.count()).toBeGreaterThan(0);
    await page.screenshot({ path: join(SCREENSHOTS, 'kwaliteit.png'), fullPage: true });

    // A case that falls short opens on its own page, with the diagram at its state.
    const href = (await links.first().getAttribute('href'))!;
    const id = href.replace('#/zaak/', '');
    await links.first().focus();
    await page.keyboard.press('Enter');
    await page.getByRole('heading', { name: `Zaak ${id.slice(0, 8)}` }).waitFor();
    const state = (await stack.request('GET', `/v1/cases/${id}`, tl)).json<{ state: string }>().state;
    await expect(page.locator('g.node.current').getAttribute('data-state')).resolves.toBe(state);
  });
});

/** The twelve months up to now's month, as the dashboard asks for them. */
function lastYear(now: Date): { from: string; to: string } {
  const fmt = (d: Date) => `${d.getUTCFullYear()}-${String(d.getUTCMonth() + 1).padStart(2, '0')}`;
  return { from: fmt(new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() - 11, 1))), to: fmt(new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), 1))) };
}
