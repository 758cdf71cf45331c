/* Dependency direction (docs/architecture.md "Layers"): workflows/ is pure; db/ and workers/ build on it; src/ wires everything;
 * src/http never touches Kysely or db/ directly; the dashboard (web/) runs in the browser and takes only types from
 * the server (`import type`), never its code. Exits 1 listing every violation. */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative, resolve, dirname } from 'node:path';

const root = resolve(__dirname, '..');
const layers: Array<{ dir: string; mayImport: RegExp[]; forbiddenPackages: RegExp[]; typesFrom?: RegExp[] }> = [
  { dir: 'workflows', mayImport: [/^workflows\//], forbiddenPackages: [/^node:/, /^(fs|net|http|crypto|pg|ioredis|bullmq|kysely|fastify)$/, /^@electric-sql\//] },
  { dir: 'db', mayImport: [/^db\//, /^workflows\//], forbiddenPackages: [/^bullmq$/, /^fastify$/] },
  { dir: 'workers', mayImport: [/^workers\//, /^workflows\//, /^db\//, /^src\/(?!http\/)/], forbiddenPackages: [/^fastify$/] },
  { dir: 'src/http', mayImport: [/^src\//, /^workflows\//], forbiddenPackages: [/^kysely$/, /^pg$/] },
  { dir: 'web/src', mayImport: [/^web\//], typesFrom: [/^src\//, /^workflows\//], forbiddenPackages: [/^node:/, /^(fs|net|http|crypto|pg|ioredis|bullmq|kysely|fastify|jose|zod|xstate)$/] },
];

function files(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return files(path);
    return /\.tsx?$/.test(path) ? [path] : [];
  });
}

const violations: string[] = [];
for (const layer of layers) {
  for (const file of files(join(root, layer.dir))) {
    const source = readFileSync(file, 'utf8');
    for (const match of source.matchAll(/(?:import|export)[^'"]*?from\s+['"]([^'"]+)['"]|require\(['"]([^'"]+)['"]\)/g)) {
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

if (violations.length > 0) {
  console.error(`dependency direction violated:\n  ${violations.join('\n  ')}`);
  process.exit(1);
}
console.log('dependency direction ok');
