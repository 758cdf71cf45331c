import { sql } from 'kysely';
import type { Database } from '../db/database';
import { createAwtCalendar, type AwtCalendar } from '../workflows/calendar/awt-calendar';
import { DeadlinePolicy } from '../workflows/deadlines/deadline-policy';
import { MeldingWorkflow } from '../workflows/melding';
import { AdviesService } from './adviezen/advies.service';
import { TokenVerifier } from './auth/token-verifier';
import { CaseEngine, type DeadlineListener } from './cases/case.engine';
import { jwtSecret, type Config } from './config/config';
import type { HealthProbe } from './http/routes/health.routes';
import type { Clock } from './shared/clock';

export interface Services {
  calendar: AwtCalendar;
  workflow: MeldingWorkflow;
  policy: DeadlinePolicy;
  engine: CaseEngine;
  adviezen: AdviesService;
  verifier: TokenVerifier;
}

/** Builds the domain services from configuration; shared by the service entry point and the tests. */
export function createServices(cfg: Config, deps: { db: Database; clock: Clock; deadlineListener?: DeadlineListener }): Services {
  const calendar = createAwtCalendar({ extraClosureDays: cfg.EXTRA_CLOSURE_DAYS });
  const workflow = new MeldingWorkflow({ childSpokenFromAge: cfg.CHILD_SPOKEN_FROM_AGE, fourEyes: cfg.FOUR_EYES });
  const policy = new DeadlinePolicy(calendar, {
    acuteMinutes: cfg.DEADLINE_ACUTE_MINUTES,
    assessmentWerkdagen: cfg.DEADLINE_ASSESSMENT_WERKDAGEN,
    onderzoekWeeks: cfg.DEADLINE_ONDERZOEK_WEEKS,
    onderzoekAnchor: cfg.DEADLINE_ONDERZOEK_ANCHOR,
    feedbackWerkdagen: cfg.DEADLINE_FEEDBACK_WERKDAGEN,
    handoverConfirmationWerkdagen: cfg.DEADLINE_HANDOVER_CONFIRMATION_WERKDAGEN,
    warningWerkdagen: cfg.DEADLINE_WARNING_WERKDAGEN,
  });
  const engine = new CaseEngine({ db: deps.db, workflow, policy, calendar, clock: deps.clock, deadlineListener: deps.deadlineListener });
  const adviezen = new AdviesService({ db: deps.db, clock: deps.clock });
  const verifier = new TokenVerifier({ secret: jwtSecret(cfg), jwksUrl: cfg.AUTH_JWKS_URL, issuer: cfg.AUTH_ISSUER, audience: cfg.AUTH_AUDIENCE });
  return { calendar, workflow, policy, engine, adviezen, verifier };
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
