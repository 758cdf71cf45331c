import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildOpenApiDocument } from './openapi-document';
import { projectRoot } from '../src/shared/project-root';

/**
 * `npm run lint:adr`: the served OpenAPI document, built offline, linted by Spectral with the NL API Design Rules
 * ruleset as Logius publishes it (https://static.developer.overheid.nl/adr/ruleset.yaml, from
 * github.com/Logius-standaarden/API-Design-Rules media/linter.yaml, CC BY 4.0). The ruleset is not kept in this
 * repository: ADR_RULESET names a local copy (offline), else Spectral fetches the published one. Exits with
 * Spectral's status: 1 on any error. PUBLIC_BASE_URL and API_CONTACT_EMAIL are those of the deployment linted.
 */
const PUBLISHED_RULESET = 'https://static.developer.overheid.nl/adr/ruleset.yaml';

async function main(): Promise<void> {
  const env = Object.fromEntries(['PUBLIC_BASE_URL', 'API_CONTACT_EMAIL'].flatMap((k) => (process.env[k] ? [[k, process.env[k]]] : [])));
  const document = await buildOpenApiDocument(env);
  const file = join(mkdtempSync(join(tmpdir(), 'vt-adr-')), 'openapi.json');
  writeFileSync(file, JSON.stringify(document, null, 2));
  const ruleset = process.env.ADR_RULESET ?? PUBLISHED_RULESET;
  const spectral = join(projectRoot(), 'node_modules/.bin/spectral');
  const run = spawnSync(spectral, ['lint', '--ruleset', ruleset, '--fail-severity', 'error', '--format', 'text', file], { stdio: 'inherit' });
  process.exit(run.status ?? 1);
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exit(1);
});
