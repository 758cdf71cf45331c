/// <reference lib="dom" />
/**
 * "Kwaliteit & verbeterplan" in real headless Chromium, against the real API on PostgreSQL and Redis: the scorecard
 * with its trend chart and the timeline of actions and milestones (Chart.js), for a manager with links to the cases
 * that fall short, and for a gemeente without any case. Served under the strict CSP; any violation fails the test.
 * Screenshot: docs/screenshots/kwaliteit-verbeterplan.png (shown in the README).
 */
import { mkdirSync, readFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { EXPECTATIONS } from '../../workflows/quality/expectations';
import { OffsetClock } from '../support/clocks';
import { meldingBody } from '../support/test-app';
import { startTestStack, type TestStack } from '../support/test-stack';
import { launchChromium, openStrictPage } from './chromium';

jest.setTimeout(120_000);

const SCREENSHOTS = join(__dirname, '../../docs/screenshots');
const AXE_SOURCE = readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');

interface PlanItemJson {
  id: string;
  title: string;
  status: string;
  expectations: string[];
  dueOn: string;
  doneOn: string | null;
  ownerRole: string;
  version: number;
  history?: Array<{ type: string; toStatus: string; note: string | null }>;
}

describe('Kwaliteit & verbeterplan in Chromium', () => {
  let stack: TestStack;
  let browser: Browser;
  let baseUrl: string;
  const contexts: BrowserContext[] = [];
  const cspViolations: string[] = [];
  const tokens: Record<string, string> = {};
  const versions = new Map<string, number>();
  let shortCase: string;

  async function signIn(t: string): Promise<Page> {
    const { context, page } = await openStrictPage(browser, baseUrl, { cspViolations });
    contexts.push(context);
    await page.goto(`${baseUrl}/`);
    await page.getByLabel('Toegangstoken').fill(t);
    await page.getByRole('button', { name: 'Aanmelden' }).click();
    return page;
  }

  async function send(caseId: string, who: string, body: Record<string, unknown>) {
    const res = await stack.request('POST', `/v1/cases/${caseId}/events`, tokens[who]!, { ...body, expectedVersion: versions.get(caseId) });
    expect(res.statusCode).toBe(200);
    versions.set(caseId, res.json().version);
  }

  async function closedCase(approver: string): Promise<string> {
    const res = await stack.request('POST', '/v1/meldingen', tokens.alice!, meldingBody({ receivedAt: '2026-11-02T10:00:00+01:00' }));
    expect(res.statusCode).toBe(201);
    const c = res.json<{ id: string; persons: Array<{ id: string; role: string }> }>();
    versions.set(c.id, 1);
    await send(c.id, 'alice', { type: 'CHILD_CONTACT_RECORDED', personId: c.persons.find((p) => p.role === 'kind')!.id, contactDate: '2026-11-03', seen: true, spoken: true });
    await send(c.id, 'alice', { type: 'INFORMAL_NETWORK_RECORDED', involved: 'Buurvrouw' });
    await send(c.id, 'alice', { type: 'DECISION_PROPOSED', safety: 'geen', code: 'VT-01-03', rationale: 'Geen zorgen.' });
    await send(c.id, approver, { type: 'DECISION_APPROVED' });
    await send(c.id, 'alice', { type: 'MELDER_FEEDBACK_GIVEN', moment: 'na_beoordeling' });
    await send(c.id, 'alice', { type: 'CLOSURE_PROPOSED', rationale: 'Afronden.' });
    await send(c.id, 'bob', { type: 'CLOSURE_APPROVED' });
    return c.id;
  }

  async function item(body: Record<string, unknown>): Promise<{ id: string; version: number }> {
    const res = await stack.request('POST', '/v1/quality/plan/items', tokens.manager!, { ownerRole: 'kwaliteitsfunctionaris', ownerId: 'kees', teamId: 'team-kwaliteit', ...body });
    expect(res.statusCode).toBe(201);
    return res.json();
  }

  beforeAll(async () => {
    mkdirSync(SCREENSHOTS, { recursive: true });
    browser = await launchChromium();
    // Planned on 1 September; today is Tuesday 24 November 2026.
    const clock = new OffsetClock(new Date('2026-09-01T09:00:00+02:00'));
    stack = await startTestStack({ clock, redis: false, env: { FOUR_EYES: 'false' } });
    await stack.app.listen({ host: '127.0.0.1', port: 0 });
    baseUrl = `http://127.0.0.1:${(stack.app.server.address() as AddressInfo).port}`;
    tokens.alice = await stack.token('alice', 'medewerker', { teams: ['team-zwolle'] });
    tokens.bob = await stack.token('bob', 'medewerker', { teams: ['team-zwolle'] });
    tokens.manager = await stack.token('mona', 'manager');
    tokens.ommen = await stack.token('ommen', 'gemeente', { gemeente: 'GM0175' });

    await item({ kind: 'verbeteractie', title: 'Vier ogen bij elk besluit afdwingen', expectations: ['plan-van-aanpak-intercollegiaal'], dueOn: '2026-11-01' });
    await item({ kind: 'verbeteractie', title: 'Monitoringscontacten per zaak plannen', expectations: ['monitoring-met-wie-wanneer', 'monitoring-stappen-uitgevoerd'], dueOn: '2027-02-26' });
    const gap = await item({ kind: 'mijlpaal', title: 'Nulmeting HKZ', expectations: ['tijdpad-certificaat'], track: 'HKZ', milestone: 'gap_analyse', dueOn: '2026-10-30' });
    await item({ kind: 'mijlpaal', title: 'Interne audits', expectations: ['tijdpad-certificaat'], track: 'HKZ', milestone: 'interne_audit', dueOn: '2027-03-31' });
    await item({ kind: 'mijlpaal', title: 'Certificaat', expectations: ['tijdpad-certificaat'], track: 'HKZ', milestone: 'certificaat_behaald', dueOn: '2027-09-30' });
    clock.jump(new Date('2026-10-28T10:00:00+01:00').getTime() - clock.now().getTime());
    expect((await stack.request('POST', `/v1/quality/plan/items/${gap.id}/changes`, tokens.manager, { expectedVersion: 1, status: 'gereed', note: 'Nulmeting door extern bureau afgerond.' })).statusCode).toBe(200);
    expect((await stack.request('PUT', '/v1/quality/expectations/tijdpad-certificaat/status', tokens.manager, { status: 'met', evidence: 'Tijdpad HKZ vastgesteld, zie certificeringstraject.' })).statusCode).toBe(200);

    clock.jump(new Date('2026-11-03T10:00:00+01:00').getTime() - clock.now().getTime());
    await closedCase('bob');
    shortCase = await closedCase('alice');
    clock.jump(new Date('2026-11-24T09:00:00+01:00').getTime() - clock.now().getTime());
  });

  afterAll(async () => {
    for (const c of contexts) await c.close().catch(() => undefined);
    await browser?.close();
    await stack?.close();
  });

  afterEach(() => expect(cspViolations).toEqual([]));

  /** axe-core, evaluated in the page through the DevTools protocol (no script tag, so the CSP stays strict). */
  async function seriousAxeViolations(page: Page): Promise<Array<{ id: string; impact: string | null; nodes: string[] }>> {
    const violations = await page.evaluate(async (source: string) => {
      const w = window as unknown as { axe?: { run: (ctx: Document, opts: unknown) => Promise<{ violations: Array<{ id: string; impact: string | null; nodes: Array<{ target: unknown[] }> }> }> } };
      if (!w.axe) (0, eval)(source);
      const result = await w.axe!.run(document, { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] } });
      return result.violations.map((v) => ({ id: v.id, impact: v.impact, nodes: v.nodes.map((n) => n.target.join(' ')) }));
    }, AXE_SOURCE);
    return violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
  }

  /** Waits until the condition holds (the page re-reads the plan after a change); fails after 10 s. */
  async function until(condition: () => Promise<boolean>): Promise<void> {
    for (let i = 0; i < 100; i++) {
      if (await condition()) return;
      await new Promise((r) => setTimeout(r, 100));
    }
    throw new Error('condition not met within 10 s');
  }

  async function planItems(): Promise<PlanItemJson[]> {
    const res = await stack.request('GET', '/v1/quality/plan', tokens.manager!);
    expect(res.statusCode).toBe(200);
    const body = res.json<{ actions: PlanItemJson[]; milestones: PlanItemJson[] }>();
    return [...body.actions, ...body.milestones];
  }

  it('a manager sees the scorecard, its trend and the timeline, and follows an expectation to its action and to the case falling short', async () => {
    const api = (await stack.request('GET', '/v1/quality/scorecard?from=2026-01-01&to=2026-11-24', tokens.manager!)).json();
    const page = await signIn(tokens.manager!);
    await page.getByRole('link', { name: 'Kwaliteit & verbeterplan' }).click();
    await expect(page.getByTestId('scorecard-headline').textContent()).resolves.toBe(`Veilig Thuis ${api.headline.text as string}`);
    await expect(page.locator('[data-testid="scorecard-table"] tbody tr').count()).resolves.toBe(EXPECTATIONS.length);
    for (const chart of ['scorecard-trend', 'plan-timeline']) {
      const size = await page.locator(`[data-testid="${chart}"] canvas`).evaluate((c: HTMLCanvasElement) => c.width * c.height);
      expect(size).toBeGreaterThan(0);
    }
    const row = page.locator('tr[data-expectation="plan-van-aanpak-intercollegiaal"]');
    await expect(row.getAttribute('data-status')).resolves.toBe('not_met');
    await expect(row.locator('a[href^="#/zaak/"]').getAttribute('href')).resolves.toBe(`#/zaak/${shortCase}`);
    await expect(page.locator('tr[data-plan-item][data-late="true"]').count()).resolves.toBe(1);
    await page.screenshot({ path: join(SCREENSHOTS, 'kwaliteit-verbeterplan.png'), fullPage: true });

    // The expectation's action: the link brings its row of the plan into focus.
    await row.getByRole('link', { name: 'Vier ogen bij elk besluit afdwingen' }).click();
    const focused = await page.evaluate(() => document.activeElement?.getAttribute('data-late'));
    expect(focused).toBe('true');
    await row.locator('a[href^="#/zaak/"]').click();
    await page.waitForFunction((id) => window.location.hash === `#/zaak/${id}`, shortCase);
  });

  it('a gemeente sees the same scorecard and the plan with the late action, but no case link', async () => {
    const page = await signIn(tokens.ommen!);
    await page.getByRole('link', { name: 'Kwaliteit & verbeterplan' }).click();
    await page.getByTestId('scorecard-table').waitFor();
    await expect(page.locator('[data-testid="scorecard-table"] tbody tr').count()).resolves.toBe(EXPECTATIONS.length);
    await expect(page.locator('tr[data-expectation="plan-van-aanpak-intercollegiaal"]').getAttribute('data-status')).resolves.toBe('not_met');
    await expect(page.locator('a[href^="#/zaak/"]').count()).resolves.toBe(0);
    const late = page.locator('tr[data-plan-item][data-late="true"]');
    await expect(late.locator('th').textContent()).resolves.toBe('Vier ogen bij elk besluit afdwingen');
    await expect(late.textContent()).resolves.toContain('te laat');
    await page.locator('[data-testid="plan-timeline"] canvas').waitFor();
    const html = await page.content();
    expect(html).not.toContain(shortCase);
    expect(html).not.toContain('kees');
  });

  it('a manager adds an action, moves one into execution with a note, and records the date a milestone was reached, through the forms', async () => {
    const page = await signIn(tokens.manager!);
    await page.getByRole('link', { name: 'Kwaliteit & verbeterplan' }).click();
    const form = page.getByTestId('plan-new-item');
    await form.waitFor();
    expect(await seriousAxeViolations(page)).toEqual([]);

    // A new verbeteractie, for one expectation of the catalogue.
    await form.getByLabel('Titel').fill('Klachtenregeling bij eerste contact uitreiken');
    await form.getByLabel('Verwachtingen waaraan het werkt').selectOption(['klachtenregeling', 'informatie-eerste-contact']);
    await form.getByLabel('Eigenaar (medewerker-id)').fill('kees');
    await form.getByLabel('Functie van de eigenaar (zichtbaar voor gemeenten)').fill('kwaliteitsfunctionaris');
    await form.getByLabel('Team dat de signalen krijgt').fill('team-kwaliteit');
    await form.getByLabel('Einddatum').fill('2027-01-15');
    await form.getByRole('button', { name: 'Toevoegen' }).click();
    await form.getByRole('status').waitFor();
    const added = page.locator('tr[data-plan-item]', { hasText: 'Klachtenregeling bij eerste contact uitreiken' });
    await added.waitFor();
    let items = await planItems();
    expect(items.find((i) => i.title === 'Klachtenregeling bij eerste contact uitreiken')).toMatchObject({ status: 'gepland', dueOn: '2027-01-15', expectations: ['informatie-eerste-contact', 'klachtenregeling'], ownerRole: 'kwaliteitsfunctionaris' });

    // An action into execution, with the note as evidence.
    const monitoring = page.locator('tr[data-plan-item]', { hasText: 'Monitoringscontacten per zaak plannen' });
    await monitoring.locator('summary').click();
    await monitoring.getByLabel('Nieuwe status').selectOption('in_uitvoering');
    await monitoring.getByLabel('Toelichting of bewijs').fill('Werkinstructie monitoring verspreid onder alle teams.');
    await monitoring.getByRole('button', { name: 'Opslaan' }).click();
    await until(async () => (await monitoring.locator('td').nth(1).textContent())?.includes('in uitvoering') ?? false);
    expect((await planItems()).find((i) => i.title === 'Monitoringscontacten per zaak plannen')?.status).toBe('in_uitvoering');

    // A milestone reached: a date in the future is refused by the API and shown with the field it names.
    const audits = page.locator('tr[data-plan-item]', { hasText: 'Interne audits' });
    await audits.locator('summary').click();
    await audits.getByLabel('Nieuwe status').selectOption('gereed');
    await audits.getByLabel('Werkelijke datum (bereikt op)').fill('2026-12-01');
    await audits.getByLabel('Toelichting of bewijs').fill('Interne audits door twee auditoren uitgevoerd.');
    await audits.getByRole('button', { name: 'Opslaan' }).click();
    const alert = audits.getByRole('alert');
    await alert.waitFor();
    await expect(alert.textContent()).resolves.toContain('doneOn');
    expect(await seriousAxeViolations(page)).toEqual([]);
    await audits.getByLabel('Werkelijke datum (bereikt op)').fill('2026-11-20');
    await audits.getByRole('button', { name: 'Opslaan' }).click();
    await until(async () => (await audits.locator('td').nth(1).textContent())?.includes('gereed') ?? false);
    items = await planItems();
    const audit = items.find((i) => i.title === 'Interne audits')!;
    expect(audit).toMatchObject({ status: 'gereed', doneOn: '2026-11-20' });
    const detail = await stack.request('GET', `/v1/quality/plan/items/${audit.id}`, tokens.manager!);
    expect(detail.json<PlanItemJson>().history?.at(-1)).toMatchObject({ type: 'STATUS_CHANGED', toStatus: 'gereed', note: 'Interne audits door twee auditoren uitgevoerd.' });
    // Finished: no form any more.
    await expect(audits.locator('summary').count()).resolves.toBe(0);
  });

  it('a gemeente gets no forms to change the plan', async () => {
    const page = await signIn(tokens.ommen!);
    await page.getByRole('link', { name: 'Kwaliteit & verbeterplan' }).click();
    await page.getByTestId('plan-table').waitFor();
    await expect(page.getByTestId('plan-new-item').count()).resolves.toBe(0);
    await expect(page.locator('[data-testid="plan-table"] summary').count()).resolves.toBe(0);
  });
});
