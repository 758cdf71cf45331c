import { spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { buildDist, REPO_ROOT, spawnService, type RunningService } from '../support/spawn-service';
import { testToken } from '../support/test-app';
import { createTestDatabase, type TestDatabase } from '../support/test-database';
import { TEST_REDIS_URL } from '../support/test-env';

// The bound main.ts gives itself: past it, a hard stop exits 1.
const SHUTDOWN_BOUND_MS = 15_000;

describe('the compiled build, run as the image runs it (node dist/src/main.js)', () => {
  let database: TestDatabase;
  const running: RunningService[] = [];

  beforeAll(async () => {
    database = await createTestDatabase(2);
    await buildDist();
  }, 300_000);

  afterAll(async () => {
    for (const s of running) s.kill('SIGKILL');
    await database?.drop();
  });

  const start = (args: string[] = []) =>
    spawnService({
      args,
      env: { DATABASE_URL: database.url, DATABASE_POOL_SIZE: '3', REDIS_URL: TEST_REDIS_URL, REDIS_PREFIX: `vt-build-${randomUUID().slice(0, 8)}` },
      ready: (l) => /Server listening/.test(l.msg ?? ''),
    }).then((s) => (running.push(s), s));

  it('serves the API on Node 24, logs that Node, and on SIGTERM closes within the bound and exits 0', async () => {
    const service = await start();
    const boot = await service.waitForLog((l) => l.msg === 'database ready');
    expect(Number(/^v(\d+)\./.exec(String(boot.node))?.[1])).toBeGreaterThanOrEqual(24);

    for (const path of ['/health', '/health/live', '/health/ready']) expect({ path, status: (await fetch(`${service.baseUrl}${path}`)).status }).toEqual({ path, status: 200 });
    // The dashboard is served from the committed build, found from dist/ as from the sources.
    const dashboard = await fetch(`${service.baseUrl}/`);
    expect({ status: dashboard.status, html: (await dashboard.text()).includes('<div id="app"') }).toEqual({ status: 200, html: true });

    // An open alert stream (server-sent events, never ends by itself) must not hold up the shutdown.
    const token = await testToken('tom', 'teamleider', { teams: ['team-zwolle'] });
    const stream = await fetch(`${service.baseUrl}/v1/alerts/stream`, { headers: { authorization: `Bearer ${token}` } });
    expect(stream.status).toBe(200);
    const streamEnded = stream.body!.pipeTo(new WritableStream()).then(() => 'ended', () => 'aborted');

    const signalled = Date.now();
    service.kill('SIGTERM');
    const exit = await service.exited;
    const took = Date.now() - signalled;
    expect({ exit, within: took < SHUTDOWN_BOUND_MS }).toEqual({ exit: { code: 0, signal: null }, within: true });
    expect(service.lines.map((l) => l.msg)).toContain('shutting down');
    expect(await streamEnded).toMatch(/ended|aborted/);
    await expect(fetch(`${service.baseUrl}/health`)).rejects.toThrow();
  }, 120_000);

  it('the worker role answers its health on OPS_PORT; the image’s probe (health-probe.cli.js) exits 0, and 1 once it is gone', async () => {
    const worker = await spawnService({
      args: ['--role', 'worker'],
      env: { DATABASE_URL: database.url, DATABASE_POOL_SIZE: '3', REDIS_URL: TEST_REDIS_URL, REDIS_PREFIX: `vt-build-${randomUUID().slice(0, 8)}`, OPS_PORT: '0' },
      ready: (l) => l.msg === 'boot reconcile done',
    });
    running.push(worker);
    const opsLine = await worker.waitForLog((l) => /ops server listening/.test(l.msg ?? ''));
    const url = `http://127.0.0.1:${String(opsLine.port)}/health/ready`;
    expect(await probe(url)).toEqual({ code: 0, stderr: '' });
    worker.kill('SIGTERM');
    expect(await worker.exited).toEqual({ code: 0, signal: null });
    const after = await probe(url);
    expect(after.code).toBe(1);
    expect(after.stderr).toContain(url);
  }, 120_000);
});

function probe(url: string): Promise<{ code: number | null; stderr: string }> {
  const child = spawn(process.execPath, ['dist/src/ops/health-probe.cli.js', url], { cwd: REPO_ROOT, stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  return new Promise((resolve) => child.on('exit', (code) => resolve({ code, stderr })));
}
