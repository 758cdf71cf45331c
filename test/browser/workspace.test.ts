/// <reference lib="dom" />
/**
 * The caseworker's workspace in real headless Chromium against the real API on PostgreSQL and Redis (BullMQ timer
 * and workers in process), under a strict Content-Security-Policy. Two medewerkers of one team:
 *   A registers a melding through the form (field errors from the browser and from the API on the way), records
 *   the child contact and the informal network, is stopped by a stale version and retries, proposes VT-01-01;
 *   B approves it from the approvals queue, keyboard only, seeing the proposal; A starts the onderzoek.
 * Every step must appear in the timeline and move the diagram; blocked events show their reasons in Dutch; axe-core
 * finds no serious or critical WCAG 2.1 A/AA violation on any of the new screens; no free text reaches a URL.
 * Then A corrects the case's types of violence (the API's refusal shown next to the field, the correction in the
 * timeline), proposes the conclusion with one outcome for each of the case's own types, and B approves it: the case
 * shows the outcome per type.
 */
import { mkdirSync, readFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { OffsetClock } from '../support/clocks';
import { startTestStack, type TestStack } from '../support/test-stack';
import { launchChromium, openStrictPage } from './chromium';

jest.setTimeout(180_000);

const NOW = new Date('2026-11-24T09:00:00+01:00');
const TEAM = 'team-werkplek';
const SCREENSHOTS = join(__dirname, '../../docs/screenshots');
const VIEWPORT = { width: 1366, height: 860 };
const AXE_SOURCE = readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');
/** Free text typed into the forms: it must travel in request bodies only. */
const SECRETS = ['Correctie-werkplek', 'Conclusie-werkplek', 'Testkind Werkplek', 'Testouder Werkplek', 'Testoma Werkplek', 'Wijkteam Zwolle-Zuid', 'Testmelder Werkplek', 'Onderbouwing-werkplek', 'Notitie-werkplek', '111222333'];

interface AxeViolation {
  id: string;
  impact: string | null;
  help: string;
  nodes: string[];
}

describe('the caseworker’s workspace in Chromium', () => {
  let stack: TestStack;
  let browser: Browser;
  let baseUrl: string;
  const contexts: BrowserContext[] = [];
  const cspViolations: string[] = [];
  const requestedUrls: string[] = [];
  const consoleLines: string[] = [];
  const axeChecked: string[] = [];

  async function signIn(token: string): Promise<Page> {
    const { context, page } = await openStrictPage(browser, baseUrl, { viewport: VIEWPORT, onConsole: (line) => consoleLines.push(line), cspViolations, requestedUrls });
    contexts.push(context);
    await page.goto(`${baseUrl}/`);
    await page.getByLabel('Toegangstoken').fill(token);
    await page.getByRole('button', { name: 'Aanmelden' }).click();
    return page;
  }

  /** axe-core, evaluated in the page through the DevTools protocol (no script tag, so the CSP stays strict). */
  async function expectAccessible(page: Page, screen: string): Promise<void> {
    const violations = await page.evaluate(async (source: string) => {
      const w = window as unknown as { axe?: { run: (ctx: Document, opts: unknown) => Promise<{ violations: Array<{ id: string; impact: string | null; help: string; nodes: Array<{ target: unknown[] }> }> }> } };
      if (!w.axe) (0, eval)(source);
      const result = await w.axe!.run(document, { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] } });
      return result.violations.map((v) => ({ id: v.id, impact: v.impact, help: v.help, nodes: v.nodes.map((n) => n.target.join(' ')) }));
    }, AXE_SOURCE);
    const serious = (violations as AxeViolation[]).filter((v) => v.impact === 'serious' || v.impact === 'critical');
    expect({ screen, serious }).toEqual({ screen, serious: [] });
    axeChecked.push(screen);
  }

  /** Presses Tab until the focused element matches, as a keyboard user would; fails if it never does. */
  async function tabTo(page: Page, selector: string, max = 120): Promise<void> {
    for (let i = 0; i < max; i++) {
      await page.keyboard.press('Tab');
      if (await page.evaluate((s) => document.activeElement?.matches(s) ?? false, selector)) return;
    }
    throw new Error(`Tab never reached ${selector}`);
  }

  const state = (page: Page) => page.getByTestId('case-state').textContent();
  const diagramState = (page: Page) => page.locator('figure.diagram svg').getAttribute('data-current-state');
  const timeline = (page: Page) => page.getByTestId('timeline').innerText();

  async function openAction(page: Page, label: string) {
    await page.getByRole('button', { name: label, exact: true }).first().click();
    await page.locator('#actie-formulier form').waitFor();
  }
  async function submitAction(page: Page, type: string) {
    const versionBefore = await page.getByTestId('case-version').textContent();
    await page.locator(`#actie-formulier form[data-event-type="${type}"] button[type="submit"]`).click();
    await page.waitForFunction((v) => document.querySelector('[data-testid="case-version"]')?.textContent !== v, versionBefore);
  }

  beforeAll(async () => {
    mkdirSync(SCREENSHOTS, { recursive: true });
    browser = await launchChromium();
    stack = await startTestStack({ clock: new OffsetClock(NOW) });
    stack.startWorkers();
    await stack.app.listen({ host: '127.0.0.1', port: 0 });
    baseUrl = `http://127.0.0.1:${(stack.app.server.address() as AddressInfo).port}`;
  });

  afterAll(async () => {
    for (const c of contexts) await c.close().catch(() => undefined);
    await browser?.close();
    await stack?.close();
  });

  it('a melding goes from the form through assessment, four eyes and the start of the onderzoek', async () => {
    const tokenA = await stack.token('mw-anna', 'medewerker', { teams: [TEAM] });
    const tokenB = await stack.token('mw-bram', 'medewerker', { teams: [TEAM] });

    // --- A: My work, then the melding form.
    const a = await signIn(tokenA);
    await a.getByRole('heading', { name: 'Mijn werk', level: 1 }).waitFor();
    await a.getByText('U werkt nu aan geen open zaken.').waitFor();
    await expectAccessible(a, 'mijn werk (leeg)');
    await a.getByRole('link', { name: 'Nieuwe melding registreren' }).click();
    await a.getByRole('heading', { name: 'Nieuwe melding registreren' }).waitFor();
    await expectAccessible(a, 'meldingformulier');

    // Sent empty: the browser names each missing field, in a summary that takes the focus.
    await a.getByRole('button', { name: 'Melding registreren' }).click();
    const summary = a.locator('#melding-fouten');
    await summary.waitFor();
    await expect(summary.innerText()).resolves.toContain('Gemeente: Kies een gemeente van de regio.');
    await expect(summary.innerText()).resolves.toContain('Vorm van geweld: Kies ten minste één vorm van geweld.');
    await expect(a.evaluate(() => document.activeElement?.id)).resolves.toBe('melding-fouten');
    await expectAccessible(a, 'meldingformulier met fouten');

    await a.getByLabel('Gemeente').selectOption('GM0193');
    await a.getByLabel('Kindermishandeling').check();
    await a.getByLabel('Nee', { exact: true }).check();
    await a.getByLabel('Professional', { exact: true }).check();
    await a.getByLabel('Sector').selectOption('onderwijs');
    await a.getByLabel(/^Afgeschermd/).check();
    await a.getByLabel(/^Naam melder/).fill('Testmelder Werkplek');
    await a.getByLabel('Naam', { exact: true }).fill('Testkind Werkplek');
    // The service's clock says 24 Nov 2026: a birth date after it is refused by the API, not by the browser.
    await a.getByLabel(/^Geboortedatum/).fill('2026-12-01');
    await a.getByRole('button', { name: 'Persoon toevoegen' }).click();
    const second = a.locator('fieldset.person').nth(1);
    await second.getByLabel('Naam', { exact: true }).fill('Testouder Werkplek');
    await second.getByLabel(/^BSN/).fill('123456789');
    await a.locator('#melding-summary').fill('Zorgen over de thuissituatie (synthetische melding uit de werkplektest).');
    await a.getByRole('button', { name: 'Melding registreren' }).click();
    await expect(summary.innerText()).resolves.toContain('Persoon 2, BSN: Dit is geen geldig BSN (9 cijfers die voldoen aan de 11-proef).');

    await second.getByLabel(/^BSN/).fill('111222333');
    await a.getByRole('button', { name: 'Melding registreren' }).click();
    await a.waitForFunction(() => document.querySelector('#melding-fouten')?.textContent?.includes('toekomst'));
    await expect(summary.innerText()).resolves.toContain('Persoon 1, geboortedatum: Deze datum ligt in de toekomst.');
    await expect(a.locator('#melding-persons-0-birthDate-fout').innerText()).resolves.toBe('Deze datum ligt in de toekomst.');
    await a.screenshot({ path: join(SCREENSHOTS, 'melding.png'), fullPage: true });

    await a.locator('fieldset.person').nth(0).getByLabel(/^Geboortedatum/).fill('2018-03-01');
    await a.getByRole('button', { name: 'Melding registreren' }).click();
    await a.waitForURL(/#\/zaak\/[0-9a-f-]{36}$/);
    const caseId = /#\/zaak\/([0-9a-f-]{36})$/.exec(a.url())![1]!;
    await a.getByRole('heading', { name: `Zaak ${caseId.slice(0, 8)}` }).waitFor();
    await expect(state(a)).resolves.toBe('Veiligheidsbeoordeling');
    await expect(diagramState(a)).resolves.toBe('veiligheidsbeoordeling');
    await expect(timeline(a)).resolves.toContain('Melding geregistreerd');
    // The API kept the shielded melder out of the case view.
    const view = (await stack.request('GET', `/v1/cases/${caseId}`, tokenA)).json<{ melder: { shielded: boolean; name: string | null } }>();
    expect(view.melder).toMatchObject({ shielded: true, name: null });

    // A blocked event shows its reason in Dutch.
    const blocked = a.getByTestId('blocked-events');
    await expect(blocked.innerText()).resolves.toContain('Acute actie vastleggen');
    await expect(blocked.innerText()).resolves.toContain('deze melding is niet als acuut gevaar geregistreerd');
    await expectAccessible(a, 'zaakpagina');

    // --- A records the assessment: the child seen and spoken (from the person's row), the informal network.
    await a.locator(`tr:has-text("Testkind Werkplek") button:has-text("Contact met kind vastleggen")`).click();
    const contactForm = a.locator('#actie-formulier form[data-event-type="CHILD_CONTACT_RECORDED"]');
    await contactForm.waitFor();
    await expect(contactForm.getByLabel('Persoon', { exact: true }).inputValue()).resolves.not.toBe('');
    await contactForm.getByLabel('Datum contact').fill('2026-11-23');
    await contactForm.getByLabel('Gezien', { exact: true }).check();
    await contactForm.getByLabel('Gesproken', { exact: true }).check();
    await expectAccessible(a, 'formulier contact met kind');
    await submitAction(a, 'CHILD_CONTACT_RECORDED');
    await expect(timeline(a)).resolves.toContain('Contact met kind vastgelegd');
    await expect(a.getByTestId('persons').innerText()).resolves.toContain('gezien: ja, gesproken: ja');

    await openAction(a, 'Informeel netwerk vastleggen');
    await a.locator('#actie-formulier').getByLabel(/^Wie is betrokken/).fill('Grootmoeder van moederszijde');
    await submitAction(a, 'INFORMAL_NETWORK_RECORDED');
    await expect(timeline(a)).resolves.toContain('Informeel netwerk vastgelegd');

    // A person added through the generated form (a nested object: role, name, vulnerabilities), then a chain
    // partner for that person from its row, and a monitoring contact planned.
    await openAction(a, 'Persoon toevoegen');
    const personForm = a.locator('#actie-formulier form[data-event-type="PERSON_ADDED"]');
    await personForm.getByLabel('Rol').selectOption('oudere');
    await personForm.getByLabel('Naam', { exact: true }).fill('Testoma Werkplek');
    await personForm.getByLabel('kwetsbare oudere').check();
    await expectAccessible(a, 'formulier persoon toevoegen');
    await submitAction(a, 'PERSON_ADDED');
    await expect(timeline(a)).resolves.toContain('Persoon toegevoegd');
    await expect(a.getByTestId('persons').innerText()).resolves.toContain('ketenpartner: nog niet');
    await a.locator('tr:has-text("Testoma Werkplek") button:has-text("Ketenpartner vastleggen")').click();
    const partnerForm = a.locator('#actie-formulier form[data-event-type="CHAIN_PARTNER_RECORDED"]');
    await partnerForm.getByLabel(/^Ketenpartner/).fill('Wijkteam Zwolle-Zuid');
    await submitAction(a, 'CHAIN_PARTNER_RECORDED');
    await expect(a.getByTestId('persons').innerText()).resolves.toContain('ketenpartner: vastgelegd');
    await openAction(a, 'Monitoringscontact plannen');
    await a.locator('#actie-formulier').getByLabel(/^Met wie/).fill('Moeder en wijkteam');
    await a.locator('#actie-formulier').getByLabel(/^Gepland op/).fill('2027-01-12');
    await submitAction(a, 'MONITORING_CONTACT_PLANNED');
    await expect(a.locator('ul.contacts').innerText()).resolves.toContain('Gepland op 12 jan 2027: nog niet gehouden');

    // --- A stale version: B adds a note while A's form is open; A sees what changed and retries.
    await openAction(a, 'Notitie toevoegen');
    await a.locator('#actie-formulier').getByLabel('Notitie', { exact: true }).fill('Notitie-werkplek: gesprek met school gepland.');
    const current = (await stack.request('GET', `/v1/cases/${caseId}`, tokenB)).json<{ version: number }>();
    const byB = await stack.request('POST', `/v1/cases/${caseId}/events`, tokenB, { type: 'NOTE_ADDED', expectedVersion: current.version, text: 'Tussendoor (test).' });
    expect(byB.statusCode).toBe(200);
    await a.locator('#actie-formulier form[data-event-type="NOTE_ADDED"] button[type="submit"]').click();
    const conflict = a.getByTestId('conflict');
    await conflict.waitFor();
    await expect(conflict.innerText()).resolves.toContain(`U zag versie ${current.version}; de zaak is nu bij versie ${current.version + 1}`);
    await expect(conflict.innerText()).resolves.toContain('Notitie toegevoegd door mw-bram');
    await expectAccessible(a, 'conflict bij verouderde versie');
    await expect(a.locator('#actie-formulier').getByLabel('Notitie', { exact: true }).inputValue()).resolves.toContain('Notitie-werkplek');
    await a.getByRole('button', { name: `Opnieuw versturen (versie ${current.version + 1})` }).click();
    await a.waitForFunction((v) => document.querySelector('[data-testid="case-version"]')?.textContent === String(v), current.version + 2);

    // --- A proposes VT-01-01; approving it herself is blocked (four eyes).
    await openAction(a, 'Besluit voorstellen');
    const form = a.locator('#actie-formulier');
    await form.getByLabel('Uitkomst veiligheidsbeoordeling').selectOption('structureel');
    await form.getByLabel('Besluit', { exact: true }).selectOption('VT-01-01');
    await form.getByLabel('Onderbouwing').fill('Onderbouwing-werkplek: structurele zorgen, onderzoek nodig.');
    await expectAccessible(a, 'formulier besluit voorstellen');
    await submitAction(a, 'DECISION_PROPOSED');
    await expect(state(a)).resolves.toBe('Besluit ter goedkeuring');
    await expect(diagramState(a)).resolves.toBe('besluit_ter_goedkeuring');
    await expect(timeline(a)).resolves.toContain('Besluit voorgesteld');
    await expect(blocked.innerText()).resolves.toContain('u heeft dit voorstel (besluit) zelf gedaan: een tweede professional moet het goedkeuren (vier ogen)');
    await a.goto(`${baseUrl}/#/werk`);
    await a.locator(`[data-testid="mijn-zaken"] tr[data-case-id="${caseId}"]`).waitFor();
    await expect(a.locator(`[data-testid="mijn-zaken"] tr[data-case-id="${caseId}"]`).innerText()).resolves.toContain('besluit ter goedkeuring bij een collega');

    // --- B: the approvals queue, keyboard only; the proposal is shown before approving.
    const b = await signIn(tokenB);
    await b.getByRole('heading', { name: 'Mijn werk', level: 1 }).waitFor();
    await b.locator(`ul.approvals li[data-case-id="${caseId}"]`).waitFor();
    await expectAccessible(b, 'mijn werk met goedkeuringen');
    await b.screenshot({ path: join(SCREENSHOTS, 'mijn-werk.png'), fullPage: true });
    await tabTo(b, `ul.approvals a[href="#/zaak/${caseId}"]`);
    await b.keyboard.press('Enter');
    await b.getByRole('heading', { name: `Zaak ${caseId.slice(0, 8)}` }).waitFor();
    await tabTo(b, 'ul.action-list button');
    for (let i = 0; i < 10 && (await b.evaluate(() => document.activeElement?.textContent)) !== 'Besluit goedkeuren'; i++) await b.keyboard.press('Tab');
    await b.keyboard.press('Enter');
    const proposal = b.getByTestId('proposal');
    await proposal.waitFor();
    await expect(proposal.innerText()).resolves.toContain('Voorgesteld door mw-anna');
    await expect(proposal.innerText()).resolves.toContain('Onderbouwing-werkplek: structurele zorgen, onderzoek nodig.');
    await expect(proposal.innerText()).resolves.toContain('VT-01-01 · vervolgstappen bij Veilig Thuis (onderzoek)');
    await expectAccessible(b, 'goedkeuren met voorstel');
    await b.screenshot({ path: join(SCREENSHOTS, 'werkplek.png'), fullPage: true });
    await tabTo(b, '#actie-formulier button[type="submit"]');
    await b.keyboard.press('Enter');
    await b.waitForFunction(() => document.querySelector('[data-testid="case-state"]')?.textContent === 'Wacht op start onderzoek');
    await expect(diagramState(b)).resolves.toBe('wacht_op_onderzoek');
    await expect(timeline(b)).resolves.toContain('Besluit goedgekeurd door mw-bram');

    // --- A starts the onderzoek (its form is whatever ONDERZOEK_STARTED's schema asks).
    await a.goto(`${baseUrl}/#/zaak/${caseId}`);
    await a.getByRole('heading', { name: `Zaak ${caseId.slice(0, 8)}` }).waitFor();
    await expect(state(a)).resolves.toBe('Wacht op start onderzoek');
    await openAction(a, 'Onderzoek starten');
    // The plan van aanpak, drawn up multidisciplinair (a nested object with a choice, a text and disciplines to tick).
    const startForm = a.locator('#actie-formulier form[data-event-type="ONDERZOEK_STARTED"]');
    await startForm.getByLabel('Wijze van opstellen').selectOption('multidisciplinair');
    await startForm.getByLabel('Samenvatting').fill('Huisbezoek en gesprekken met de kinderen.');
    await startForm.getByLabel('gedragswetenschapper').check();
    await expectAccessible(a, 'formulier onderzoek starten');
    await submitAction(a, 'ONDERZOEK_STARTED');
    await expect(state(a)).resolves.toBe('Onderzoek');
    await expect(diagramState(a)).resolves.toBe('onderzoek');
    const steps = await timeline(a);
    for (const step of ['Melding geregistreerd', 'Contact met kind vastgelegd', 'Informeel netwerk vastgelegd', 'Persoon toegevoegd', 'Ketenpartner vastgelegd', 'Monitoringscontact gepland', 'Notitie toegevoegd', 'Besluit voorgesteld', 'Besluit goedgekeurd', 'Onderzoek gestart']) {
      expect(steps).toContain(step);
    }
    await expect(a.getByTestId('announce').textContent()).resolves.toBe('Opgeslagen: Onderzoek starten');

    // The history has it all, with the free text in payloads, and none of it went into a URL or the console.
    const history = (await stack.request('GET', `/v1/cases/${caseId}/history`, tokenA)).json<{ items: Array<{ type: string; actor: { id: string } }> }>();
    expect(history.items.map((e) => `${e.type}:${e.actor.id}`)).toEqual([
      'MELDING_REGISTERED:mw-anna',
      'CHILD_CONTACT_RECORDED:mw-anna',
      'INFORMAL_NETWORK_RECORDED:mw-anna',
      'PERSON_ADDED:mw-anna',
      'CHAIN_PARTNER_RECORDED:mw-anna',
      'MONITORING_CONTACT_PLANNED:mw-anna',
      'NOTE_ADDED:mw-bram',
      'NOTE_ADDED:mw-anna',
      'DECISION_PROPOSED:mw-anna',
      'DECISION_APPROVED:mw-bram',
      'ONDERZOEK_STARTED:mw-anna',
    ]);
    expect(axeChecked.length).toBeGreaterThanOrEqual(10);

    // A new melding about the same household while this case is open: a vervolgmelding, linked both ways on the pages.
    const again = await stack.request('POST', '/v1/meldingen', tokenA, {
      receivedAt: NOW.toISOString(),
      gemeente: 'GM0193',
      violenceTypes: ['kindermishandeling'],
      acuteDanger: false,
      reporter: { professional: true, sector: 'onderwijs', name: 'Testmelder Werkplek', contact: '038-0000000' },
      persons: [{ role: 'ouder', name: 'Testouder Werkplek', birthDate: '1985-04-02', bsn: '111222333' }],
      summary: 'Nieuwe zorgen over hetzelfde gezin (synthetische testmelding).',
    });
    expect(again.statusCode).toBe(201);
    const next = again.json<{ id: string; reportKind: string; linkedCaseId: string }>();
    expect(next).toMatchObject({ reportKind: 'vervolgmelding', linkedCaseId: caseId });
    await a.goto(`${baseUrl}/#/zaak/${next.id}`);
    await a.getByRole('heading', { name: `Zaak ${next.id.slice(0, 8)}` }).waitFor();
    await expect(a.getByTestId('case-linked').innerText()).resolves.toBe(`zaak ${caseId.slice(0, 8)}`);
    await a.getByTestId('case-linked').getByRole('link').click();
    await a.getByRole('heading', { name: `Zaak ${caseId.slice(0, 8)}` }).waitFor();
    await expect(a.getByTestId('case-vervolgmeldingen').innerText()).resolves.toContain(`zaak ${next.id.slice(0, 8)}`);
    await expectAccessible(a, 'zaak met vervolgmelding');

    // --- A corrects the types of violence: unchanged, the API refuses and names the field; then partnergeweld added.
    await expect(a.getByTestId('case-types').innerText()).resolves.toBe('Kindermishandeling');
    await a.getByRole('button', { name: 'Soorten geweld corrigeren' }).click();
    const correction = a.getByTestId('violence-types-form');
    await correction.getByLabel('Reden van de correctie').fill('Correctie-werkplek: in het huisbezoek bleek ook partnergeweld.');
    await expect(correction.getByTestId('correction-version').innerText()).resolves.toBe(`Versie ${await a.getByTestId('case-version').textContent()}`);
    await expectAccessible(a, 'formulier soorten geweld corrigeren');
    await correction.getByRole('button', { name: 'Correctie opslaan' }).click();
    const typesError = a.locator('#soorten-corrigeren-violenceTypes-fout');
    await typesError.waitFor();
    await expect(typesError.innerText()).resolves.toBe('Dit zijn de soorten die al geregistreerd staan: kies wat er verandert.');
    await expect(a.locator('#soorten-corrigeren-fouten').innerText()).resolves.toContain('Soorten geweld: Dit zijn de soorten');
    await expectAccessible(a, 'correctie met fout van de API');
    await correction.getByLabel('(Ex-)partnergeweld').check();
    const before = Number(await a.getByTestId('case-version').textContent());
    await correction.getByRole('button', { name: 'Correctie opslaan' }).click();
    await a.waitForFunction((v) => document.querySelector('[data-testid="case-version"]')?.textContent === String(v), before + 1);
    await expect(a.getByTestId('case-types').innerText()).resolves.toBe('Kindermishandeling, (Ex-)partnergeweld');
    await expect(a.getByTestId('timeline-correction').innerText()).resolves.toContain('van Kindermishandeling naar Kindermishandeling, (Ex-)partnergeweld · reden: Correctie-werkplek');
    await expect(timeline(a)).resolves.toContain('Soorten geweld gecorrigeerd door mw-anna');

    // --- The conclusion asks one outcome for each of the case's own types, no other.
    await openAction(a, 'Conclusie onderzoek voorstellen');
    const conclusionForm = a.locator('#actie-formulier form[data-event-type="ONDERZOEK_CONCLUSION_PROPOSED"]');
    const outcomeFields = conclusionForm.locator('fieldset.group:has(legend:text-is("Uitkomst per soort geweld (één voor elke geregistreerde soort)")) select');
    await expect(outcomeFields.evaluateAll((els) => els.map((el) => document.querySelector(`label[for="${el.id}"]`)?.textContent))).resolves.toEqual(['Kindermishandeling', '(Ex-)partnergeweld']);
    await expect(outcomeFields.first().locator('option').allTextContents()).resolves.toEqual(['Kies…', 'vermoeden bevestigd', 'vermoeden niet bevestigd', 'geen oordeel mogelijk']);
    await conclusionForm.getByLabel('Uitkomst veiligheidsbeoordeling').selectOption('geen');
    await conclusionForm.getByLabel('Vervolg').selectOption('afsluiten');
    await conclusionForm.getByLabel('Conclusie', { exact: true }).fill('Conclusie-werkplek: de veiligheid is hersteld, afsluiten.');
    await conclusionForm.getByLabel('Kindermishandeling').selectOption('bevestigd');
    await conclusionForm.getByLabel('(Ex-)partnergeweld').selectOption('niet_bevestigd');
    await expectAccessible(a, 'formulier conclusie met uitkomst per soort');
    await submitAction(a, 'ONDERZOEK_CONCLUSION_PROPOSED');
    await expect(state(a)).resolves.toBe('Conclusie ter goedkeuring');
    const outcomeLine = 'Kindermishandeling: vermoeden bevestigd; (Ex-)partnergeweld: vermoeden niet bevestigd';
    await expect(a.getByTestId('timeline-outcomes').innerText()).resolves.toContain(outcomeLine);

    // --- B approves it; the case shows the onderzoek's outcome per type.
    // B's page still shows the case as B left it: load it afresh.
    await b.reload();
    await b.getByRole('heading', { name: `Zaak ${caseId.slice(0, 8)}` }).waitFor();
    await openAction(b, 'Conclusie onderzoek goedkeuren');
    await expect(b.getByTestId('proposal').innerText()).resolves.toContain(outcomeLine);
    await submitAction(b, 'ONDERZOEK_CONCLUSION_APPROVED');
    await expect(b.getByTestId('case-outcomes').innerText()).resolves.toBe(outcomeLine);
    await expectAccessible(b, 'zaak met uitkomst onderzoek');
    const corrected = (await stack.request('GET', `/v1/cases/${caseId}/history`, tokenA)).json<{ items: Array<{ type: string; payload: Record<string, unknown> }> }>();
    expect(corrected.items.find((e) => e.type === 'VIOLENCE_TYPES_CORRECTED')?.payload).toMatchObject({ from: ['kindermishandeling'], to: ['kindermishandeling', 'partnergeweld'] });
  });

  afterEach(() => {
    expect(cspViolations).toEqual([]);
    for (const url of requestedUrls) for (const s of SECRETS) expect(decodeURIComponent(url)).not.toContain(s);
    for (const line of consoleLines) for (const s of SECRETS) expect(line).not.toContain(s);
  });
});
