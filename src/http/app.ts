import fastifySwagger from '@fastify/swagger';
import fastifySwaggerUi from '@fastify/swagger-ui';
import Fastify, { type FastifyInstance, type FastifyRequest } from 'fastify';
import { jsonSchemaTransform, serializerCompiler, validatorCompiler } from 'fastify-type-provider-zod';
import type { VtRegion } from '../../workflows/reference';
import type { AdviesService } from '../adviezen/advies.service';
import type { TokenVerifier } from '../auth/token-verifier';
import type { CaseEngine } from '../cases/case.engine';
import { registerAuthentication } from './authenticate';
import { registerErrorHandler } from './error-handler';
import { registerHardening, type RateLimitOptions } from './hardening';
import { adviesRoutes } from './routes/advies.routes';
import { alertRoutes } from './routes/alert.routes';
import { metricsRoutes } from './routes/metrics.routes';
import { cbsRoutes } from './routes/cbs.routes';
import type { BeleidsinformatieService } from '../cbs/beleidsinformatie.service';
import type { MetricsService } from '../reporting/metrics.service';
import type { QualityService } from '../reporting/quality.service';
import { qualityRoutes } from './routes/quality.routes';
import { retentionRoutes } from './routes/retention.routes';
import type { RetentionService } from '../retention/retention.service';
import type { AlertService } from '../deadlines/alert.service';
import type { AlertStream } from '../deadlines/alert-stream';
import { caseRoutes } from './routes/case.routes';
import type { AuditService } from '../audit/audit.service';
import type { PersonExportService } from '../privacy/person-export.service';
import { privacyRoutes } from './routes/privacy.routes';
import { healthRoutes, type HealthProbe } from './routes/health.routes';
import type { MeldingWorkflow } from '../../workflows/melding';
import { workflowRoutes } from './routes/workflow.routes';
import { dashboardRoutes, type DashboardOptions } from './dashboard';

export interface HttpDeps {
  engine: CaseEngine;
  alerts: AlertService;
  metrics: MetricsService;
  cbs: BeleidsinformatieService;
  quality: QualityService;
  retention: RetentionService;
  stream: AlertStream;
  publicBaseUrl: string;
  adviezen: AdviesService;
  auditLog: AuditService;
  personExports: PersonExportService;
  verifier: TokenVerifier;
  health: HealthProbe;
  region: VtRegion;
  logLevel?: string;
  rateLimit: RateLimitOptions;
  /** Where logs go (tests capture them); stdout by default. */
  logStream?: NodeJS.WritableStream;
  workflow: MeldingWorkflow;
  /** The dashboard at `/`; without it, served from the committed build with token sign-in. */
  dashboard?: DashboardOptions;
}

/** The workflow API. Routes only translate HTTP to engine calls; no SQL here. */
export async function buildHttpApp(deps: HttpDeps): Promise<FastifyInstance> {
  const app = Fastify({
    logger: {
      level: deps.logLevel ?? 'info',
      // Request logs carry method, route and status only; bodies and query strings are never logged (see loggedPath).
      serializers: { req: (req: FastifyRequest) => ({ method: req.method, url: loggedPath(req) }) },
      redact: ['req.headers.authorization'],
      ...(deps.logStream ? { stream: deps.logStream } : {}),
    },
    bodyLimit: 1_048_576,
    // Open server-sent-event streams must not hold up a graceful shutdown.
    forceCloseConnections: true,
  });
  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);
  registerErrorHandler(app);
  const oidcIssuer = deps.dashboard?.oidc?.issuer;
  await registerHardening(app, { verifier: deps.verifier, rateLimit: deps.rateLimit, connectOrigins: oidcIssuer ? [new URL(oidcIssuer).origin] : [] });

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
  await app.register(cbsRoutes(deps.cbs));
  await app.register(qualityRoutes(deps.quality));
  await app.register(retentionRoutes(deps.retention));
  await app.register(privacyRoutes(deps.auditLog, deps.personExports));
  await app.register(workflowRoutes(deps.workflow));
  await app.register(dashboardRoutes(deps.dashboard ?? { oidc: null }, deps.region));
  app.addHook('onClose', async () => deps.stream.close());
  return app;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * The path as logged: the matched route with only UUID parameters filled in (case, alert, deadline ids), so a name
 * or BSN typed into a URL never reaches the logs; '(no route)' when nothing matched.
 */
export function loggedPath(req: FastifyRequest): string {
  const pattern = req.routeOptions?.url;
  if (!pattern) return '(no route)';
  const params = (req.params ?? {}) as Record<string, unknown>;
  return pattern.replace(/:([A-Za-z0-9_]+)/g, (placeholder, name: string) => {
    const value = params[name];
    return typeof value === 'string' && UUID.test(value) ? value : placeholder;
  });
}
