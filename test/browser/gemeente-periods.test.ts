/// <reference lib="dom" />
/**
 * The gemeente view's period report in real headless Chromium, against the real API on real PostgreSQL and Redis,
 * with one year of synthetic meldingen for the region. The view opens on the current half-year; the analyst
 * switches (by mouse and by keyboard) to a month and to a year, and every cell of the crossed type × severity
 * table, the adviezen and the kinds of melding must be the API's figure for that period, a suppressed one shown as
 * suppressed and never as 0; so must the onderzoek outcomes per type (the region's, said so, for a gemeente that
 * reads them at region level). The half-year is saved as docs/screenshots/gemeente-halfjaar.png (in the README).
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
import { TEST_JWT_SECRET } from '../support/test-app';
import { createTestDatabase, type TestDatabase } from '../support/test-database';
import { startTestStack, type TestStack } from '../support/test-stack';
import { launchChromium, openStrictPage } from './chromium';

jest.setTimeout(120_000);

const NOW = new Date('2026-11-24T09:00:00+01:00');
const SCREENSHOTS = join(__dirname, '../../docs/screenshots');

interface Figure {
  value: number | null;
  suppressed: boolean;
}
type Scope = {
  received: Figure;
  byViolenceType: Record<string, Figure>;
  bySeverity: Record<string, Figure>;
  byViolenceTypeAndSeverity: Record<string, Record<string, Figure>>;
  byReport: Record<string, Figure>;
  adviezen: { count: Figure; byViolenceType: Record<string, Figure> };
  onderzoekOutcomes: Record<string, Record<'concluded' | 'bevestigd' | 'niet_bevestigd' | 'geen_oordeel_mogelijk', Figure>> | null;
};
type Answer = {
  gemeenteCategories: { violenceTypes: string[]; severities: string[]; reports: string[] };
  periods: Array<{ period: string; kind: string; gemeente: Scope; region: Scope; regionAtGemeenteDetail: Scope }>;
};
type ShownCell = { suppressed: boolean; text: string };

describe('the gemeente period report in Chromium', () => {
  let database: TestDatabase;
  let stack: TestStack;
  let browser: Browser;
  let baseUrl: string;
  let context: BrowserContext;
  let page: Page;
  let gm: string;
  const cspViolations: string[] = [];

  beforeAll(async () => {
    mkdirSync(SCREENSHOTS, { recursive: true });
    browser = await launchChromium();
    const clock = new OffsetClock(NOW);
    database = await createTestDatabase();
    const cfg = parseConfig({ NODE_ENV: 'test', AUTH_JWT_SECRET: TEST_JWT_SECRET, DATABASE_URL: database.url });
    await syncRegion(database.db, cfg.region);
    await seedSyntheticMeldingen(database.db, {
      settings: syntheticSettings(cfg),
      run: { seed: 'gemeente-periods', count: 2400, now: clock.now(), years: 1 },
      batchSize: 600,
      workers: 0,
      verifyEvery: 400,
      copyUrl: database.url,
    });
    stack = await startTestStack({ clock, database });
    await stack.app.listen({ host: '127.0.0.1', port: 0 });
    baseUrl = `http://127.0.0.1:${(stack.app.server.address() as AddressInfo).port}`;
    gm = await stack.token('analist-zwolle', 'gemeente', { gemeente: 'GM0193' });
    ({ context, page } = await openStrictPage(browser, baseUrl, { cspViolations }));
    await page.goto(`${baseUrl}/`);
    await page.getByLabel('Toegangstoken').fill(gm);
    await page.getByRole('button', { name: 'Aanmelden' }).click();
  });

  afterAll(async () => {
    await context?.close().catch(() => undefined);
    await browser?.close();
    await stack?.close();
    await database?.drop();
  });

  async function api(query: string, gemeente = 'GM0193'): Promise<Answer> {
    const res = await stack.request('GET', `/v1/metrics/wachtlijst?gemeente=${gemeente}&${query}`, gm);
    expect(res.statusCode).toBe(200);
    return res.json<Answer>();
  }

  async function shownTable(testId: string): Promise<ShownCell[][]> {
    return page.getByTestId(testId).locator('tbody tr').evaluateAll((trs) =>
      trs.map((tr) => [...tr.querySelectorAll('td')].map((td) => ({ suppressed: td.getAttribute('data-suppressed') === 'true', text: td.textContent ?? '' }))),
    );
  }

  function expectShown(shown: ShownCell[][], expected: Figure[][]): { suppressed: number; published: number } {
    expect(shown.map((r) => r.length)).toEqual(expected.map((r) => r.length));
    let suppressed = 0;
    let published = 0;
    shown.forEach((row, i) =>
      row.forEach((cell, j) => {
        const f = expected[i]![j]!;
        expect(cell.suppressed).toBe(f.suppressed);
        if (f.suppressed) {
          suppressed += 1;
          expect(cell.text).toBe('onderdrukt');
        } else {
          published += 1;
          expect(cell.text).toBe(f.value!.toLocaleString('nl-NL'));
        }
      }),
    );
    return { suppressed, published };
  }

  /** Waits for the period to be shown, then checks its crossed table, adviezen and kinds cell for cell. */
  async function expectPeriod(kind: 'month' | 'quarter' | 'half' | 'year', period: string) {
    await page.locator(`[data-testid="period-report"] [data-period="${period}"][data-kind="${kind}"]`).waitFor();
    const answer = await api(`${kind}=${period}`);
    const p = answer.periods[0]!;
    expect(p.period).toBe(period);
    // The gemeente's own categories (its report plan); the region beside it at the same detail.
    const { violenceTypes, severities, reports } = answer.gemeenteCategories;
    const g = p.gemeente;
    const cross = expectShown(await shownTable('table-cross'), [
      ...violenceTypes.map((v) => [...severities.map((s) => g.byViolenceTypeAndSeverity[v]![s]!), g.byViolenceType[v]!]),
      [...severities.map((s) => g.bySeverity[s]!), g.received],
    ]);
    expectShown(await shownTable('table-adviezen'), violenceTypes.map((v) => [g.adviezen.byViolenceType[v]!, p.regionAtGemeenteDetail.adviezen.byViolenceType[v]!]));
    expectShown(await shownTable('table-kinds'), reports.map((r) => [g.byReport[r]!, p.regionAtGemeenteDetail.byReport[r]!]));
    return cross;
  }

  /** The onderzoek outcomes: type × (bevestigd, niet bevestigd, geen oordeel mogelijk, afgerond), cell for cell. */
  async function expectOutcomes(answer: Answer, scope: 'gemeente' | 'regio') {
    const p = answer.periods[0]!;
    const outcomes = scope === 'gemeente' ? p.gemeente.onderzoekOutcomes : p.regionAtGemeenteDetail.onderzoekOutcomes;
    expect(outcomes).not.toBeNull();
    await expect(page.getByTestId('outcomes').getAttribute('data-scope')).resolves.toBe(scope);
    const headers = await page.getByTestId('table-outcomes').locator('thead th').allTextContents();
    expect(headers).toEqual(['Type geweld', 'Vermoeden bevestigd', 'Vermoeden niet bevestigd', 'Geen oordeel mogelijk', 'Afgerond (totaal)']);
    return expectShown(
      await shownTable('table-outcomes'),
      answer.gemeenteCategories.violenceTypes.map((v) => (['bevestigd', 'niet_bevestigd', 'geen_oordeel_mogelijk', 'concluded'] as const).map((k) => outcomes![v]![k])),
    );
  }

  it('opens on the current half-year and switches to a month and a year, the crossed table matching the API', async () => {
    await page.getByRole('heading', { name: /Rapportage per periode – Zwolle/ }).waitFor();
    await expect(page.getByRole('radio', { name: 'Halfjaar' }).isChecked()).resolves.toBe(true);
    const half = await expectPeriod('half', '2026-H2');
    // Zwolle publishes its own onderzoek outcomes per type.
    const halfAnswer = await api('half=2026-H2');
    expect(halfAnswer.periods[0]!.gemeente.onderzoekOutcomes).not.toBeNull();
    await expectOutcomes(halfAnswer, 'gemeente');
    expect(await page.getByTestId('outcomes-region-note').count()).toBe(0);
    // Zwolle's half-year publishes part of the crossed table and hides the rest, marked as such.
    expect(half.published).toBeGreaterThan(0);
    expect(half.suppressed).toBeGreaterThan(0);
    await page.getByTestId('period-report').screenshot({ path: join(SCREENSHOTS, 'gemeente-halfjaar.png') });

    // The previous half-year, chosen from the list.
    await page.locator('#periode-keuze').selectOption('2026-H1');
    await expectPeriod('half', '2026-H1');

    await page.getByRole('radio', { name: 'Maand' }).check();
    const month = await expectPeriod('month', '2026-11');
    await page.locator('#periode-keuze').selectOption('2026-09');
    const september = await expectPeriod('month', '2026-09');
    // A month hides more of the crossed table than the half-year it lies in.
    expect(Math.max(month.suppressed, september.suppressed)).toBeGreaterThan(half.suppressed);

    // By keyboard: arrows move through the kinds of period (Maand → Kwartaal → Halfjaar → Jaar).
    await page.getByRole('radio', { name: 'Maand' }).focus();
    await page.keyboard.press('ArrowRight');
    await expectPeriod('quarter', '2026-Q4');
    await page.keyboard.press('ArrowRight');
    await page.keyboard.press('ArrowRight');
    await expect(page.getByRole('radio', { name: 'Jaar', exact: true }).isChecked()).resolves.toBe(true);
    const year = await expectPeriod('year', '2026');
    expect(year.published).toBeGreaterThanOrEqual(half.published);
    const zwolleOutcomes = await expectOutcomes(await api('year=2026'), 'gemeente');
    expect(zwolleOutcomes.published).toBeGreaterThan(0);

    // Ommen (under 100,000 inhabitants) reads its outcomes at region level: the view says so and shows the region's.
    await page.locator('#gemeente-keuze').selectOption('GM0175');
    await page.getByRole('heading', { name: /Rapportage per periode – Ommen/ }).waitFor();
    await page.locator('[data-testid="outcomes"][data-scope="regio"]').waitFor();
    const ommen = await api('year=2026', 'GM0175');
    expect(ommen.periods[0]!.gemeente.onderzoekOutcomes).toBeNull();
    await expect(page.getByTestId('outcomes-region-note').innerText()).resolves.toContain('De uitkomsten van onderzoeken van Ommen worden op regioniveau gepubliceerd');
    await expect(page.getByTestId('table-outcomes').locator('caption').innerText()).resolves.toContain('regio IJsselland');
    const region = await expectOutcomes(ommen, 'regio');
    expect(region.published).toBeGreaterThan(0);
    expect(cspViolations).toEqual([]);
  });
});
