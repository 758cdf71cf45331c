/* Dependency direction (docs/architecture.md "Layers"): workflows/ is pure; db/ and workers/ build on it; src/ wires everything,
 * its modules by the table SRC_MODULES; src/http never touches Kysely or db/ directly; the dashboard (web/) runs in the browser and takes only types from
 * the server (`import type`), never its code. Exits 1 listing every violation. */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative, resolve, dirname } from 'node:path';

const layers: Array<{ dir: string; mayImport: RegExp[]; forbiddenPackages: RegExp[]; typesFrom?: RegExp[] }> = [
  { dir: 'workflows', mayImport: [/^workflows\//], forbiddenPackages: [/^node:/, /^(fs|net|http|crypto|pg|ioredis|bullmq|kysely|fastify)$/, /^@electric-sql\//] },
  { dir: 'db', mayImport: [/^db\//, /^workflows\//], forbiddenPackages: [/^bullmq$/, /^fastify$/] },
  { dir: 'workers', mayImport: [/^workers\//, /^workflows\//, /^db\//, /^src\/(?!http\/)/], forbiddenPackages: [/^fastify$/] },
  { dir: 'src/http', mayImport: [/^src\//, /^workflows\//], forbiddenPackages: [/^kysely$/, /^pg$/] },
  { dir: 'web/src', mayImport: [/^web\//], typesFrom: [/^src\//, /^workflows\//], forbiddenPackages: [/^node:/, /^(fs|net|http|crypto|pg|ioredis|bullmq|kysely|fastify|jose|zod|xstate)$/] },
];

/**
 * Module rules inside src/: which module (a folder of src/, or a file at its top) may import which others, types
 * included. A module imports itself freely; a module missing from this table is a violation until it is added.
 * `shared` is the floor; `auth`, `config` and `audit` sit just above it; the domain modules follow; `http` is the
 * adapter; `services` and `main` are the composition root and may import everything.
 */
export const SRC_MODULES: Record<string, readonly string[] | '*'> = {
  shared: [],
  config: ['shared', 'deadlines'], // deadlines/webhook-target.ts: the webhook policy parsed from the environment
  auth: ['shared', 'config'],
  audit: ['shared', 'config', 'auth'],
  idempotency: ['shared'],
  reference: ['shared'],
  reporting: ['shared', 'config', 'auth'],
  cases: ['shared', 'auth', 'audit', 'adviezen', 'deadlines', 'privacy', 'reporting'],
  adviezen: ['shared', 'auth', 'audit', 'cases'],
  deadlines: ['shared', 'auth', 'audit', 'cases', 'quality'],
  quality: ['shared', 'auth', 'cases', 'deadlines', 'reporting'],
  privacy: ['shared', 'config', 'auth', 'audit'],
  retention: ['shared', 'auth', 'audit', 'cases'],
  cbs: ['shared', 'auth', 'audit'],
  workspace: ['shared', 'auth', 'audit', 'cases'],
  ops: ['shared', 'http', 'services'],
  http: ['shared', 'config', 'auth', 'audit', 'idempotency', 'reporting', 'cases', 'adviezen', 'deadlines', 'quality', 'privacy', 'retention', 'cbs', 'workspace', 'ops'],
  telemetry: [], // OpenTelemetry, loaded before everything else: imports no other module
  application: '*', // buildApplication: the composition root the process (main) and the tests share
  services: '*',
  main: '*',
};

/** The src/ module of a path relative to the root (`src/cases/case.engine.ts` → `cases`, `src/main.ts` → `main`). */
function srcModule(path: string): string | undefined {
  const m = /^src\/([^/]+?)(?:\.tsx?)?(?:\/|$)/.exec(path);
  return m?.[1];
}

function files(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return files(path);
    return /\.tsx?$/.test(path) ? [path] : [];
  });
}

const IMPORT = /(?:import|export)[^'"]*?from\s+['"]([^'"]+)['"]|require\(['"]([^'"]+)['"]\)/g;

/** Every violation in the tree at `root`: of the layers, and of the module rules inside src/. */
export function checkLayers(root: string): string[] {
  const violations: string[] = [];
  for (const layer of layers) {
    for (const file of files(join(root, layer.dir))) {
      const source = readFileSync(file, 'utf8');
      for (const match of source.matchAll(IMPORT)) {
        const spec = match[1] ?? match[2] ?? '';
        const where = relative(root, file);
        if (spec.startsWith('.')) {
          const target = relative(root, resolve(dirname(file), spec));
          const typeOnly = /^(import|export) type /.test(match[0]);
          const allowed = layer.mayImport.some((re) => re.test(target)) || (typeOnly && (layer.typesFrom ?? []).some((re) => re.test(target)));
          if (!allowed) violations.push(`${where}: imports ${target}${typeOnly ? ' (types)' : ''}, outside what ${layer.dir}/ may use`);
        } else if (layer.forbiddenPackages.some((re) => re.test(spec))) {
          violations.push(`${where}: imports package '${spec}', which ${layer.dir}/ must not use`);
        }
      }
    }
  }
  for (const file of files(join(root, 'src'))) {
    const where = relative(root, file);
    const from = srcModule(where)!;
    const rule = SRC_MODULES[from];
    if (rule === undefined) {
      violations.push(`${where}: src/${from} is not in the module table (scripts/check-layers.ts SRC_MODULES)`);
      continue;
    }
    if (rule === '*') continue;
    for (const match of readFileSync(file, 'utf8').matchAll(IMPORT)) {
      const spec = match[1] ?? match[2] ?? '';
      if (!spec.startsWith('.')) continue;
      const target = relative(root, resolve(dirname(file), spec));
      if (/^(tools|scripts|test)\//.test(target)) violations.push(`${where}: imports ${target}: the service never depends on tools/, scripts/ or test/`);
      const to = srcModule(target);
      if (to !== undefined && to !== from && !rule.includes(to)) violations.push(`${where}: imports src/${to}, which src/${from} may not use (allowed: ${rule.join(', ') || 'none'})`);
    }
  }
  return violations;
}

if (require.main === module) {
  const violations = checkLayers(process.argv[2] ? resolve(process.argv[2]) : resolve(__dirname, '..'));
  if (violations.length > 0) {
    console.error(`dependency direction violated:\n  ${violations.join('\n  ')}`);
    process.exit(1);
  }
  console.log('dependency direction ok');
}
