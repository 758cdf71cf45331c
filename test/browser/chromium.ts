import { existsSync } from 'node:fs';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';

/** Debian's chromium package (installed by .ci/run); the browser tests fail, never skip, without it. */
export const CHROMIUM_PATH = '/usr/bin/chromium';

/** Flags for a closed network: without the background-networking ones Chromium's own connections are refused. */
const ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

export async function launchChromium(): Promise<Browser> {
  if (!existsSync(CHROMIUM_PATH)) {
    throw new Error(`no Chromium at ${CHROMIUM_PATH}: install Debian's chromium package (apt-get install -y chromium; .ci/run does this)`);
  }
  return chromium.launch({ executablePath: CHROMIUM_PATH, headless: true, args: ARGS });
}

/**
 * A strict Content-Security-Policy like the one a reverse proxy or @fastify/helmet would send: the dashboard must
 * work under it (self-hosted scripts only, no inline script, no eval, no inline style attributes).
 */
export const STRICT_CSP = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; object-src 'none'; base-uri 'none'; frame-ancestors 'none'";

export interface StrictPageOptions {
  viewport?: { width: number; height: number };
  /** Every console line the page prints. */
  onConsole?: (line: string) => void;
  /** Console lines that report a Content-Security-Policy violation. */
  cspViolations?: string[];
  /** Every URL the page requests. */
  requestedUrls?: string[];
}

/**
 * A fresh browser context (its own sessionStorage) with the dashboard served under `STRICT_CSP`, in Dutch and
 * Amsterdam time, and one page in it that records its console lines, CSP violations and requests.
 */
export async function openStrictPage(browser: Browser, baseUrl: string, o: StrictPageOptions = {}): Promise<{ context: BrowserContext; page: Page }> {
  const context = await browser.newContext({ viewport: o.viewport ?? { width: 1366, height: 860 }, locale: 'nl-NL', timezoneId: 'Europe/Amsterdam' });
  await context.route(`${baseUrl}/`, async (route) => {
    const response = await route.fetch();
    await route.fulfill({ response, headers: { ...response.headers(), 'content-security-policy': STRICT_CSP } });
  });
  const page = await context.newPage();
  page.on('console', (msg) => {
    o.onConsole?.(msg.text());
    if (/Content.Security.Policy|Refused to/i.test(msg.text())) o.cspViolations?.push(msg.text());
  });
  if (o.requestedUrls) page.on('request', (req) => o.requestedUrls!.push(req.url()));
  return { context, page };
}
