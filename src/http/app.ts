import fastifySwagger from '@fastify/swagger';
import fastifySwaggerUi from '@fastify/swagger-ui';
import Fastify, { type FastifyInstance } from 'fastify';
import { jsonSchemaTransform, serializerCompiler, validatorCompiler } from 'fastify-type-provider-zod';
import type { VtRegion } from '../../workflows/reference';
import type { AdviesService } from '../adviezen/advies.service';
import type { TokenVerifier } from '../auth/token-verifier';
import type { CaseEngine } from '../cases/case.engine';
import { registerAuthentication } from './authenticate';
import { registerErrorHandler } from './error-handler';
import { adviesRoutes } from './routes/advies.routes';
import { alertRoutes } from './routes/alert.routes';
import { metricsRoutes } from './routes/metrics.routes';
import type { MetricsService } from '../reporting/metrics.service';
import type { QualityService } from '../reporting/quality.service';
import { qualityRoutes } from './routes/quality.routes';
import type { AlertService } from '../deadlines/alert.service';
import type { AlertStream } from '../deadlines/alert-stream';
import { caseRoutes } from './routes/case.routes';
import { healthRoutes, type HealthProbe } from './routes/health.routes';
import type { MeldingWorkflow } from '../../workflows/melding';
import { workflowRoutes } from './routes/workflow.routes';
import { dashboardRoutes, type DashboardOptions } from './dashboard';

export interface HttpDeps {
  engine: CaseEngine;
  alerts: AlertService;
  metrics: MetricsService;
  quality: QualityService;
  stream: AlertStream;
  publicBaseUrl: string;
  adviezen: AdviesService;
  verifier: TokenVerifier;
  health: HealthProbe;
  region: VtRegion;
  logLevel?: string;
  workflow: MeldingWorkflow;
  /** The dashboard at `/`; without it, served from the committed build with token sign-in. */
  dashboard?: DashboardOptions;
}

/** The workflow API. Routes only translate HTTP to engine calls; no SQL here. */
export async function buildHttpApp(deps: HttpDeps): Promise<FastifyInstance> {
  const app = Fastify({
    logger: {
      level: deps.logLevel ?? 'info',
      // Request logs carry method, route and status only: URLs hold ids, never personal data; bodies are not logged.
      serializers: { req: (req: { method: string; url: string }) => ({ method: req.method, url: req.url.split('?')[0] }) },
      redact: ['req.headers.authorization'],
    },
    bodyLimit: 1_048_576,
    // Open server-sent-event streams must not hold up a graceful shutdown.
    forceCloseConnections: true,
  });
  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);
  registerErrorHandler(app);

  await app.register(fastifySwagger, {
    openapi: {
      info: { title: 'Veilig Thuis workflow API', version: '1.0.0', description: 'Meldingen from receipt to closure, with statutory deadlines.' },
      components: { securitySchemes: { bearer: { type: 'http', scheme: 'bearer', bearerFormat: 'JWT' } } },
      security: [{ bearer: [] }],
    },
    transform: jsonSchemaTransform,
  });
  await app.register(fastifySwaggerUi, { routePrefix: '/docs' });
  app.get('/openapi.json', { schema: { hide: true } }, async () => app.swagger());

  registerAuthentication(app, deps.verifier);
  await app.register(healthRoutes(deps.health));
  await app.register(caseRoutes(deps.engine, deps.region));
  await app.register(adviesRoutes(deps.adviezen, deps.region));
  await app.register(alertRoutes(deps.alerts, deps.stream, deps.publicBaseUrl));
  await app.register(metricsRoutes(deps.metrics));
  await app.register(qualityRoutes(deps.quality));
  await app.register(workflowRoutes(deps.workflow));
  await app.register(dashboardRoutes(deps.dashboard ?? { oidc: null }, deps.region));
  app.addHook('onClose', async () => deps.stream.close());
  return app;
}
