import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { buildOpenApiDocument } from './openapi-document';
import { projectRoot } from '../src/shared/project-root';
import { API_TYPES_FILE, apiTypesOf } from './api-types';

/**
 * `npm run generate:api`: the served OpenAPI document, built offline, into the dashboard's typed client.
 * `--stdin`: the types of the document on standard input, to standard output (the contract test's staleness check;
 * openapi-typescript is ESM-only, so the test runs it as a process rather than loading it into Jest).
 */
async function main(): Promise<void> {
  if (process.argv.includes('--stdin')) {
    process.stdout.write(await apiTypesOf(JSON.parse(readFileSync(0, 'utf8'))));
    return;
  }
  const document = await buildOpenApiDocument();
  writeFileSync(join(projectRoot(), API_TYPES_FILE), await apiTypesOf(document));
  process.stdout.write(`wrote ${API_TYPES_FILE}\n`);
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exit(1);
});
