import type { JobHandlers } from '../workers/job-catalogue';
import { sql } from 'kysely';
import type { Database } from '../db/database';
import { createAwtCalendar, type AwtCalendar } from '../workflows/calendar/awt-calendar';
import { DeadlinePolicy } from '../workflows/deadlines/deadline-policy';
import { MeldingWorkflow } from '../workflows/melding';
import { AdviesService } from './adviezen/advies.service';
import { TokenVerifier } from './auth/token-verifier';
import { AuditSealer } from './audit/audit-sealer';
import { AuditTrail } from './audit/audit-trail';
import { AuditService } from './audit/audit.service';
import { PersonExportService } from './privacy/person-export.service';
import { CaseEngine, type DeadlineListener } from './cases/case.engine';
import { CaseReader } from './cases/case-reader';
import { deadlineSettingsOf, jwtSecret, melderKeys, retentionSettingsOf, ruleSettingsOf, webhookPolicyOf, type Config } from './config/config';
import { MelderCipher } from './privacy/melder-cipher';
import type { HealthProbe } from './http/routes/health.routes';
import type { Clock } from './shared/clock';
import { AlertNotifier } from './deadlines/alert-notifier';
import { AlertStream } from './deadlines/alert-stream';
import { AlertService } from './deadlines/alert.service';
import { AlertChannelService } from './deadlines/alert-channel.service';
import { DeadlineAdjustmentService } from './deadlines/deadline-adjustment.service';
import { DeadLetterService } from './deadlines/dead-letter.service';
import { DeadlineFiring } from './deadlines/deadline-firing.service';
import { embeddedTimer, type DeadlineTimer } from './deadlines/deadline-timer';
import { deadlineRepository } from './deadlines/deadline.repository';
import { takeWaitlistSnapshot } from './reporting/waitlist-snapshot';
import { MetricsService } from './reporting/metrics.service';
import { BeleidsinformatieService } from './cbs/beleidsinformatie.service';
import { QualityService } from './reporting/quality.service';
import { ScorecardService } from './quality/scorecard.service';
import { PlanService } from './quality/plan.service';
import { RetentionService } from './retention/retention.service';
import { WorkspaceService } from './workspace/workspace.service';
import { IdempotencyStore } from './idempotency/idempotency.store';

export interface Services {
  calendar: AwtCalendar;
  workflow: MeldingWorkflow;
  policy: DeadlinePolicy;
  engine: CaseEngine;
  caseReader: CaseReader;
  adviezen: AdviesService;
  verifier: TokenVerifier;
  timer: DeadlineTimer;
  notifier: AlertNotifier;
  firing: DeadlineFiring;
  alerts: AlertService;
  deadlineAdjustments: DeadlineAdjustmentService;
  alertChannels: AlertChannelService;
  deadLetters: DeadLetterService;
  stream: AlertStream;
  metrics: MetricsService;
  cbs: BeleidsinformatieService;
  quality: QualityService;
  scorecard: ScorecardService;
  plan: PlanService;
  retention: RetentionService;
  audit: AuditTrail;
  /** Chains the audit rows in batches; started by the entry point (src/main.ts), sealed on demand by tests. */
  sealer: AuditSealer;
  auditLog: AuditService;
  personExports: PersonExportService;
  melderCipher: MelderCipher;
  workspace: WorkspaceService;
  idempotency: IdempotencyStore;
}

/** Builds the domain services from configuration; shared by the service entry point and the tests. */
export function createServices(cfg: Config, deps: { db: Database; clock: Clock; timer?: DeadlineTimer; log?: { warn(obj: object, msg: string): void; error?(obj: object, msg: string): void } }): Services {
  const timer = deps.timer ?? embeddedTimer;
  const calendar = createAwtCalendar({ extraClosureDays: cfg.EXTRA_CLOSURE_DAYS });
  const workflow = new MeldingWorkflow(ruleSettingsOf(cfg));
  const policy = new DeadlinePolicy(calendar, deadlineSettingsOf(cfg));
  // After each commit, the timers follow the deadline rows of the case (the rows are the outbox).
  const deadlineListener: DeadlineListener = {
    deadlinesChanged: async (caseIds) => timer.syncDeadlines(await deadlineRepository.deadlinesOfCases(deps.db, caseIds)),
    deliveriesCreated: async (ids) => {
      for (const id of ids) await timer.scheduleDelivery(id, deps.clock.now(), 1);
    },
  };
  const audit = new AuditTrail({ db: deps.db, clock: deps.clock });
  const sealerLog = deps.log;
  const sealer = new AuditSealer({ db: deps.db, intervalMs: cfg.AUDIT_SEAL_INTERVAL_MS, log: { error: (obj, msg) => (sealerLog?.error ?? sealerLog?.warn)?.call(sealerLog, obj, msg) } });
  const melderCipher = new MelderCipher(melderKeys(cfg));
  const engine = new CaseEngine({ db: deps.db, workflow, policy, calendar, clock: deps.clock, deadlineListener, retention: retentionSettingsOf(cfg), audit, melderCipher, receivedAtMaxAgeDays: cfg.RECEIVED_AT_MAX_AGE_DAYS });
  const caseReader = new CaseReader({ db: deps.db, workflow, calendar, clock: deps.clock, audit, melderCipher });
  const adviezen = new AdviesService({ db: deps.db, clock: deps.clock, audit, receivedAtMaxAgeDays: cfg.RECEIVED_AT_MAX_AGE_DAYS });
  const verifier = new TokenVerifier({ secret: jwtSecret(cfg), jwksUrl: cfg.AUTH_JWKS_URL, issuer: cfg.AUTH_ISSUER, audience: cfg.AUTH_AUDIENCE, maxLifetimeSeconds: cfg.AUTH_TOKEN_MAX_LIFETIME_MINUTES * 60 });
  const notifier = new AlertNotifier({
    db: deps.db,
    clock: deps.clock,
    timer,
    publicBaseUrl: cfg.PUBLIC_BASE_URL,
    smtpUrl: cfg.SMTP_URL,
    smtpFrom: cfg.SMTP_FROM,
    maxAttempts: cfg.DELIVERY_MAX_ATTEMPTS,
    backoffMs: cfg.DELIVERY_BACKOFF_MS,
    webhookPolicy: webhookPolicyOf(cfg),
  });
  const firing = new DeadlineFiring({
    db: deps.db,
    clock: deps.clock,
    calendar,
    timer,
    notifier,
    officeHours: cfg.OFFICE_HOURS,
    escalationWorkingMinutes: cfg.ESCALATION_WORKING_MINUTES,
    escalationEmail: cfg.ESCALATION_EMAIL,
    log: deps.log,
  });
  const alerts = new AlertService({ db: deps.db, clock: deps.clock, publicBaseUrl: cfg.PUBLIC_BASE_URL, audit });
  const deadlineAdjustments = new DeadlineAdjustmentService({ db: deps.db, clock: deps.clock, calendar, timer, warningWerkdagen: cfg.DEADLINE_WARNING_WERKDAGEN, audit });
  const alertChannels = new AlertChannelService({ db: deps.db, clock: deps.clock, audit, webhookPolicy: webhookPolicyOf(cfg) });
  const deadLetters = new DeadLetterService({ db: deps.db });
  const stream = new AlertStream(deps.db);
  const metrics = new MetricsService({ db: deps.db, clock: deps.clock, calendar, region: cfg.region, disclosure: { roundTo: cfg.DISCLOSURE_ROUND_TO, minCount: cfg.DISCLOSURE_MIN_COUNT } });
  const quality = new QualityService({ db: deps.db, calendar, clock: deps.clock });
  const scorecard = new ScorecardService({ db: deps.db, clock: deps.clock, calendar, quality, region: cfg.region, disclosure: { roundTo: cfg.DISCLOSURE_ROUND_TO, minCount: cfg.DISCLOSURE_MIN_COUNT } });
  const plan = new PlanService({ db: deps.db, clock: deps.clock, calendar, timer, region: cfg.region, warningWerkdagen: cfg.QUALITY_PLAN_WARNING_WERKDAGEN });
  const retention = new RetentionService({ db: deps.db, clock: deps.clock, calendar, settings: retentionSettingsOf(cfg), batchSize: cfg.RETENTION_BATCH_SIZE, audit });
  const auditLog = new AuditService({ db: deps.db, trail: audit });
  const personExports = new PersonExportService({ db: deps.db, clock: deps.clock, audit });
  const workspace = new WorkspaceService({ db: deps.db, workflow, calendar, clock: deps.clock, audit });
  const idempotency = new IdempotencyStore({ db: deps.db, clock: deps.clock });
  const cbs = new BeleidsinformatieService({ db: deps.db, clock: deps.clock, calendar, audit });
  return { calendar, workflow, policy, engine, caseReader, adviezen, verifier, timer, notifier, firing, alerts, deadlineAdjustments, alertChannels, deadLetters, stream, metrics, cbs, quality, scorecard, plan, retention, audit, sealer, auditLog, personExports, melderCipher, workspace, idempotency };
}

/** The one handler of each job in the catalogue (workers/job-catalogue.ts). */
export function jobHandlers(s: Services, db: Database, clock: Clock) {
  return {
    'alert-escalate': async ({ alertId }: { alertId: string }) => s.firing.escalate(alertId),
    'alert-deliver': async ({ deliveryId }: { deliveryId: string }) => s.notifier.deliver(deliveryId),
    'deadlines-reconcile': async () => s.firing.reconcile(),
    'waitlist-snapshot': async () => ({ ...(await takeWaitlistSnapshot(db, clock, s.calendar)), monthsCounted: await s.metrics.countCompleteMonths() }),
    'retention-destroy': async () => s.retention.run(),
    'idempotency-purge': async () => s.idempotency.purge(),
  } satisfies JobHandlers;
}

export function databaseProbe(db: Database, kind: string): HealthProbe['database'] {
  return async () => {
    try {
      await sql`select 1`.execute(db);
      return { ok: true, kind };
    } catch {
      return { ok: false, kind };
    }
  };
}
