/**
 * The dashboard's build output is committed (web/build), so `npm install && npm start` serves it without a build
 * step and the Docker image needs no toolchain. This test rebuilds it from web/src and fails when the committed
 * files differ: run `npm run build:web` and commit web/build.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';

jest.setTimeout(120_000);

const root = join(__dirname, '../..');
const committed = join(root, 'web/build');

function files(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? files(path) : [path];
  });
}

describe('the committed dashboard build', () => {
  let out: string;
  beforeAll(() => {
    out = mkdtempSync(join(tmpdir(), 'vt-web-'));
    execFileSync(process.execPath, [join(root, 'node_modules/vite/bin/vite.js'), 'build', '--config', join(root, 'web/vite.config.mts'), '--outDir', out, '--emptyOutDir', '--logLevel', 'warn'], {
      cwd: root,
      // Jest sets NODE_ENV=test, which Vite would bake into the bundle; npm run build:web runs with production.
      env: { ...process.env, NODE_ENV: 'production' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
  });
  afterAll(() => rmSync(out, { recursive: true, force: true }));

  it('is what web/src builds to now (else: npm run build:web and commit web/build)', () => {
    const fresh = files(out).map((f) => relative(out, f)).sort();
    const kept = files(committed).map((f) => relative(committed, f)).sort();
    expect(kept).toEqual(fresh);
    for (const f of fresh) expect(readFileSync(join(committed, f), 'utf8')).toBe(readFileSync(join(out, f), 'utf8'));
  });

  it('has no inline script and loads only its own assets', () => {
    const html = readFileSync(join(committed, 'index.html'), 'utf8');
    const scripts = [...html.matchAll(/<script\b([^>]*)>([\s\S]*?)<\/script>/g)];
    expect(scripts.length).toBeGreaterThan(0);
    for (const [, attrs, body] of scripts) {
      expect(body!.trim()).toBe('');
      expect(attrs).toMatch(/src="\/assets\/[^"]+\.js"/);
    }
    expect(html).not.toMatch(/https?:\/\//);
  });
});
