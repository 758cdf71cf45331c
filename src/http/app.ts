import fastifySwaggerUi from '@fastify/swagger-ui';
import Fastify, { type FastifyInstance, type FastifyRequest } from 'fastify';
import { serializerCompiler } from 'fastify-type-provider-zod';
import { registerApiContract } from './api-contract';
import type { VtRegion } from '../../workflows/reference';
import type { AdviesService } from '../adviezen/advies.service';
import type { TokenVerifier } from '../auth/token-verifier';
import type { CaseEngine } from '../cases/case.engine';
import type { CaseReader } from '../cases/case-reader';
import { principalOf, registerAuthentication } from './authenticate';
import { registerErrorHandler } from './error-handler';
import { queueBoardRoutes } from './queue-board';
import type { Queue } from 'bullmq';
import type { OpsMetrics } from '../ops/metrics';
import { registerOpsMetrics } from './routes/ops-metrics.routes';
import { REQUEST_ID_HEADER, registerRequestId } from './request-id';
import { requestIdOf } from '../shared/request-context';
import { registerHardening, type RateLimitOptions } from './hardening';
import { guardedValidatorCompiler } from './validator';
import { clientErrorHandler, frameworkErrors } from './framework-errors';
import { adviesRoutes } from './routes/advies.routes';
import { alertRoutes } from './routes/alert.routes';
import { metricsRoutes } from './routes/metrics.routes';
import { cbsRoutes } from './routes/cbs.routes';
import type { BeleidsinformatieService } from '../cbs/beleidsinformatie.service';
import type { MetricsService } from '../reporting/metrics.service';
import type { QualityService } from '../reporting/quality.service';
import { qualityRoutes } from './routes/quality.routes';
import { qualityManagementRoutes } from './routes/quality-management.routes';
import type { ScorecardService } from '../quality/scorecard.service';
import type { PlanService } from '../quality/plan.service';
import { retentionRoutes } from './routes/retention.routes';
import type { RetentionService } from '../retention/retention.service';
import type { AlertService } from '../deadlines/alert.service';
import type { AlertChannelService } from '../deadlines/alert-channel.service';
import type { DeadlineAdjustmentService } from '../deadlines/deadline-adjustment.service';
import type { DeadLetterService } from '../deadlines/dead-letter.service';
import type { AlertStream } from '../deadlines/alert-stream';
import { caseRoutes } from './routes/case.routes';
import type { AuditService } from '../audit/audit.service';
import type { IdempotencyStore } from '../idempotency/idempotency.store';
import { registerIdempotency } from './idempotency';
import type { PersonExportService } from '../privacy/person-export.service';
import { privacyRoutes } from './routes/privacy.routes';
import { healthRoutes, type HealthProbe } from './routes/health.routes';
import type { MeldingWorkflow } from '../../workflows/melding';
import { workflowRoutes } from './routes/workflow.routes';
import { dashboardRoutes, type DashboardOptions } from './dashboard';
import type { WorkspaceService } from '../workspace/workspace.service';
import { workspaceRoutes } from './routes/workspace.routes';
import { loggedPath } from './logged-path';
import { batchedStdout } from './log-destination';

export interface HttpDeps {
  engine: CaseEngine;
  caseReader: CaseReader;
  alerts: AlertService;
  deadlineAdjustments: DeadlineAdjustmentService;
  alertChannels: AlertChannelService;
  deadLetters: DeadLetterService;
  metrics: MetricsService;
  cbs: BeleidsinformatieService;
  quality: QualityService;
  scorecard: ScorecardService;
  plan: PlanService;
  retention: RetentionService;
  stream: AlertStream;
  publicBaseUrl: string;
  /** `info.contact.email` of the OpenAPI document (API_CONTACT_EMAIL); left out when not configured. */
  apiContactEmail?: string;
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
  workspace: WorkspaceService;
  /** Prometheus metrics: `/metrics` (beheerder) and the HTTP histogram; none without. */
  opsMetrics?: OpsMetrics;
  /** Fastify's trustProxy (TRUST_PROXY): which proxies' X-Forwarded-For to believe. */
  trustProxy?: boolean | string[];
  /** Idempotency-Key storage (src/http/idempotency.ts). */
  idempotency: IdempotencyStore;
  /** BullMQ queues for Bull Board at /admin/queues (beheerder); no board without (embedded mode). */
  queues?: Queue[];
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
      stream: deps.logStream ?? batchedStdout(),
    },
    // x-request-id: the caller's (an ingress, another service) when well formed, else a fresh UUID; logged as reqId.
    requestIdHeader: false,
    genReqId: (req) => requestIdOf(req.headers[REQUEST_ID_HEADER]),
    // Behind an ingress: request.ip (and so the rate limiter's key) is the client's address from X-Forwarded-For.
    trustProxy: deps.trustProxy ?? false,
    bodyLimit: 1_048_576,
    // Open server-sent-event streams must not hold up a graceful shutdown.
    forceCloseConnections: true,
    // Router and HTTP-parser errors in the one error shape, never echoing the path.
    frameworkErrors,
    clientErrorHandler,
  });
  app.setValidatorCompiler(guardedValidatorCompiler);
  app.setSerializerCompiler(serializerCompiler);
  const errorHandler = registerErrorHandler(app, async (request, refusal) => deps.auditLog.recordRefusal(principalOf(request), refusal));
  registerRequestId(app);
  const oidcIssuer = deps.dashboard?.oidc?.issuer;
  await registerHardening(app, { verifier: deps.verifier, rateLimit: deps.rateLimit, connectOrigins: oidcIssuer ? [new URL(oidcIssuer).origin] : [] });

  await registerApiContract(app, deps.publicBaseUrl, deps.apiContactEmail);
  await app.register(fastifySwaggerUi, { routePrefix: '/docs' });

  registerAuthentication(app, deps.verifier);
  if (deps.opsMetrics) registerOpsMetrics(app, deps.opsMetrics, deps.verifier);
  if (deps.queues?.length) await app.register(queueBoardRoutes({ queues: deps.queues, verifier: deps.verifier, onError: errorHandler, secureCookie: deps.publicBaseUrl.startsWith('https:') }));
  registerIdempotency(app, deps.idempotency);
  await app.register(healthRoutes(deps.health));
  await app.register(caseRoutes(deps.engine, deps.caseReader, deps.region));
  await app.register(adviesRoutes(deps.adviezen, deps.region));
  await app.register(alertRoutes(deps, deps.stream, deps.publicBaseUrl));
  await app.register(metricsRoutes(deps.metrics));
  await app.register(cbsRoutes(deps.cbs));
  await app.register(qualityRoutes(deps.quality));
  await app.register(qualityManagementRoutes(deps.scorecard, deps.plan));
  await app.register(retentionRoutes(deps.retention));
  await app.register(privacyRoutes(deps.auditLog, deps.personExports));
  await app.register(workflowRoutes(deps.workflow));
  await app.register(workspaceRoutes(deps.workspace));
  await app.register(dashboardRoutes(deps.dashboard ?? { oidc: null }, deps.region));
  app.addHook('onClose', async () => deps.stream.close());
  return app;
}

export { loggedPath } from './logged-path';
