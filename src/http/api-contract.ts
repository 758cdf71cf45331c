import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import fastifySwagger from '@fastify/swagger';
import type { FastifyInstance } from 'fastify';
import { jsonSchemaTransform, jsonSchemaTransformObject } from 'fastify-type-provider-zod';
import { AppError } from '../shared/errors';
import { applyApiProfile } from './openapi-profile';
import { projectRoot } from '../shared/project-root';

/** The API's version is the package's: `info.version` of the document and the `API-Version` header of every answer. */
export const API_VERSION = (JSON.parse(readFileSync(join(projectRoot(), 'package.json'), 'utf8')) as { version: string }).version;

export const OPENAPI_PATHS = ['/v1/openapi.json', '/openapi.json'];

/**
 * The contract as the NL API Design Rules ask it: an OpenAPI 3.1 document generated from the routes' zod schemas
 * at /v1/openapi.json (and /openapi.json), readable cross-origin; `API-Version` on every response; a trailing slash
 * is a different resource, so `/v1/cases/` answers 404 rather than matching `/v1/cases/:id` with an empty id.
 */
export async function registerApiContract(app: FastifyInstance, publicBaseUrl: string, contactEmail?: string): Promise<void> {
  app.addHook('onRequest', async (request) => {
    const path = request.url.split('?')[0] ?? '';
    if (path.startsWith('/v1/') && path.endsWith('/')) throw new AppError('ROUTE.NOT_FOUND', 'no route ends in a slash: leave the trailing slash off (see /v1/openapi.json)');
  });
  app.addHook('onSend', async (_request, reply, payload) => {
    void reply.header('api-version', API_VERSION);
    return payload;
  });

  await app.register(fastifySwagger, {
    openapi: {
      openapi: '3.1.0',
      info: {
        title: 'Veilig Thuis workflow API',
        version: API_VERSION,
        description:
          'Meldingen from receipt to closure, with statutory deadlines. Errors are RFC 9457 problem details; POST and PUT take an Idempotency-Key; a case has an ETag (its version).',
        license: { name: 'EUPL-1.2', identifier: 'EUPL-1.2' },
        contact: { name: 'Veilig Thuis workflow', url: publicBaseUrl, ...(contactEmail ? { email: contactEmail } : {}) },
      },
      servers: [{ url: publicBaseUrl, description: 'This deployment' }],
      tags: [
        { name: 'meldingen', description: 'Registering meldingen' },
        { name: 'cases', description: 'Cases (zaken): reading them and applying events' },
        { name: 'adviezen', description: 'Adviezen: advice calls, convertible into a melding' },
        { name: 'alerts', description: 'Deadline alerts (signalen), their channels and deadline adjustments' },
        { name: 'metrics', description: 'Anonymised figures for gemeenten' },
        { name: 'quality', description: "The inspection's quality figures" },
        { name: 'retention', description: 'Retention and legal holds' },
        { name: 'privacy', description: 'Audit trail and the right of access' },
        { name: 'workflow', description: 'The melding machine' },
        { name: 'health', description: 'Liveness of the service' },
        { name: 'dashboard', description: "The dashboard's own settings" },
      ],
      components: { securitySchemes: { bearer: { type: 'http', scheme: 'bearer', bearerFormat: 'JWT' } } },
      security: [{ bearer: [] }],
    },
    transform: jsonSchemaTransform,
    transformObject: (input) => applyApiProfile(jsonSchemaTransformObject(input) as Record<string, unknown>) as ReturnType<typeof jsonSchemaTransformObject>,
  });
  for (const url of OPENAPI_PATHS) {
    app.get(url, { schema: { hide: true } }, async (_request, reply) => {
      void reply.header('access-control-allow-origin', '*').header('cross-origin-resource-policy', 'cross-origin');
      return app.swagger();
    });
  }
}
