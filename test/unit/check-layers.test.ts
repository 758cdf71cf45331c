import { spawnSync } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

/** The dependency check as `npm run lint` runs it (scripts/check-layers.ts), on the tree or on a copy of it. */
const root = resolve(__dirname, '../..');
const checkLayers = (...args: string[]) => spawnSync(join(root, 'node_modules/.bin/tsx'), [join(root, 'scripts/check-layers.ts'), ...args], { encoding: 'utf8', timeout: 60_000 });

describe('scripts/check-layers.ts', () => {
  let copy: string;
  beforeAll(() => {
    copy = mkdtempSync(join(tmpdir(), 'check-layers-'));
    for (const dir of ['src', 'workflows', 'db', 'workers', 'web/src']) cpSync(join(root, dir), join(copy, dir), { recursive: true });
  });
  afterAll(() => rmSync(copy, { recursive: true, force: true }));

  it('passes on the tree as it is', () => {
    const run = checkLayers();
    expect({ status: run.status, stderr: run.stderr }).toEqual({ status: 0, stderr: '' });
    expect(run.stdout).toContain('dependency direction ok');
  });

  it('passes on an untouched copy, and fails on a copy with a module rule broken, naming the file and the rule', () => {
    expect(checkLayers(copy).status).toBe(0);
    const probe = join(copy, 'src/reporting/layer-probe.ts');
    writeFileSync(probe, "import { CaseEngine } from '../cases/case.engine';\nexport const engine = CaseEngine;\n");
    const run = checkLayers(copy);
    expect(run.status).toBe(1);
    expect(run.stderr).toContain('src/reporting/layer-probe.ts: imports src/cases, which src/reporting may not use');
    rmSync(probe);
    expect(checkLayers(copy).status).toBe(0);
  });

  it('fails on a src/ module missing from the table, on a type-only import across a forbidden edge, and on src/ importing the seed tool', () => {
    mkdirSync(join(copy, 'src/newmodule'));
    writeFileSync(join(copy, 'src/newmodule/thing.ts'), 'export const thing = 1;\n');
    writeFileSync(join(copy, 'src/shared/type-probe.ts'), "import type { Principal } from '../auth/principal';\nexport type P = Principal;\n");
    writeFileSync(join(copy, 'src/reporting/seed-probe.ts'), "import { syntheticSettings } from '../../tools/seed/synthetic-meldingen';\nexport const s = syntheticSettings;\n");
    const run = checkLayers(copy);
    expect(run.status).toBe(1);
    expect(run.stderr).toContain('src/newmodule/thing.ts: src/newmodule is not in the module table');
    expect(run.stderr).toContain('src/shared/type-probe.ts: imports src/auth, which src/shared may not use (allowed: none)');
    expect(run.stderr).toContain('src/reporting/seed-probe.ts: imports tools/seed/synthetic-meldingen: the service never depends on tools/, scripts/ or test/');
  });
});
