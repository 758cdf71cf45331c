import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { buildOpenApiDocument } from '../src/http/openapi-document';
import { projectRoot } from '../src/shared/project-root';
import { API_TYPES_FILE, apiTypesOf } from './api-types';

/** `npm run generate:api`: the served OpenAPI document, built offline, into the dashboard's typed client. */
async function main(): Promise<void> {
  const document = await buildOpenApiDocument();
  const file = join(projectRoot(), API_TYPES_FILE);
  writeFileSync(file, await apiTypesOf(document));
  process.stdout.write(`wrote ${API_TYPES_FILE}\n`);
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exit(1);
});
