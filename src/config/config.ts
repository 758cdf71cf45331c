import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { z } from 'zod';
import { DEFAULT_DEADLINE_SETTINGS, type DeadlineSettings } from '../../workflows/deadlines/deadline-policy';
import type { MeldingRuleSettings } from '../../workflows/melding/melding.rules';
import { DISCIPLINES } from '../../workflows/melding/melding.events';
import { DEFAULT_RETENTION_SETTINGS, type RetentionSettings } from '../../workflows/retention/retention-policy';
import { BUILT_IN_REGIONS, vtRegionSchema, type VtRegion } from '../../workflows/reference';
import { parseAllowedHosts, type WebhookPolicy } from '../deadlines/webhook-target';

/** A development-only secret so `npm start` and `npm run token` work on a bare machine; refused in production. */
export const DEVELOPMENT_JWT_SECRET = 'development-only-secret-do-not-use-in-production';

const bool = z.enum(['true', 'false', '1', '0']).transform((v) => v === 'true' || v === '1');
const int = (min: number, max: number) => z.coerce.number().int().min(min).max(max);

/** Every environment variable the service reads, in one place (documented in the README). */
const envSchema = z.object({
  NODE_ENV: z.enum(['development', 'test', 'production']).default('development'),
  HOST: z.string().min(1).default('127.0.0.1'),
  PORT: int(0, 65535).default(3000),
  /** The ops server (health and /metrics, no API) listens here when set; the worker role's only HTTP endpoint. */
  OPS_PORT: int(0, 65535).optional(),
  OPS_HOST: z.string().min(1).default('127.0.0.1'),
  /**
   * Which proxies' X-Forwarded-For to believe (Fastify trustProxy): false (default), true (any: only behind an ingress
   * that overwrites the header), or comma-separated addresses/CIDRs of the ingress (the safe choice).
   */
  TRUST_PROXY: z
    .string()
    .default('false')
    .transform((v, ctx): boolean | string[] => {
      const t = v.trim();
      if (t === 'false' || t === '') return false;
      if (t === 'true') return true;
      const list = t.split(',').map((a) => a.trim()).filter(Boolean);
      for (const a of list) if (!/^[0-9A-Fa-f.:]+(\/\d{1,3})?$/.test(a)) ctx.addIssue({ code: 'custom', message: `'${a}' is not an address or CIDR (use true, false or addresses/CIDRs)` });
      return list;
    }),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  DATABASE_URL: z.url({ protocol: /^postgres(ql)?$/ }).optional(),
  DATABASE_POOL_SIZE: int(1, 200).default(10),
  EMBEDDED_DATA_DIR: z.string().min(1).default('./.data/pglite'),
  REDIS_URL: z.url({ protocol: /^rediss?$/ }).optional(),
  AUTH_JWT_SECRET: z.string().min(32, 'must be at least 32 characters').optional(),
  AUTH_JWKS_URL: z.url().optional(),
  AUTH_ISSUER: z.string().min(1).optional(),
  AUTH_AUDIENCE: z.string().min(1).optional(),
  /** The longest a token may live (exp minus iat, or minus now): refused beyond it. */
  AUTH_TOKEN_MAX_LIFETIME_MINUTES: int(1, 7 * 24 * 60).default(12 * 60),
  /** The dashboard signs in with this OIDC provider (authorization code + PKCE); unset: a pasted token. */
  AUTH_OIDC_ISSUER: z.url({ protocol: /^https?$/ }).optional(),
  AUTH_OIDC_CLIENT_ID: z.string().min(1).optional(),
  AUTH_OIDC_SCOPE: z.string().min(1).default('openid profile'),
  VT_REGION: z.string().min(1).default('ijsselland'),
  VT_REGION_FILE: z.string().min(1).optional(),
  CHILD_SPOKEN_FROM_AGE: int(0, 18).default(6),
  FOUR_EYES: bool.default(true),
  /** Who may be the second professional: roles and/or disciplines (token claim `discipline`), comma-separated. */
  FOUR_EYES_APPROVERS: z
    .string()
    .default('medewerker,teamleider')
    .transform((v) => v.split(',').map((d) => d.trim()).filter(Boolean))
    .pipe(z.array(z.enum(['medewerker', 'teamleider', ...DISCIPLINES], { message: `must be a comma-separated list of medewerker, teamleider or a discipline (${DISCIPLINES.join(', ')})` })).min(1, 'must name at least one role or discipline')),
  EXTRA_CLOSURE_DAYS: z
    .string()
    .default('')
    .transform((v) => v.split(',').map((d) => d.trim()).filter(Boolean))
    .pipe(z.array(z.iso.date({ message: 'must be a comma-separated list of YYYY-MM-DD dates' }))),
  // Fractions allowed, so tests can use a term of a few seconds.
  DEADLINE_ACUTE_MINUTES: z.coerce.number().positive().max(24 * 60).default(DEFAULT_DEADLINE_SETTINGS.acuteMinutes),
  DEADLINE_ASSESSMENT_WERKDAGEN: int(1, 30).default(DEFAULT_DEADLINE_SETTINGS.assessmentWerkdagen),
  DEADLINE_ONDERZOEK_START_DAYS: int(1, 30).default(DEFAULT_DEADLINE_SETTINGS.onderzoekStartDays),
  DEADLINE_ONDERZOEK_START_ANCHOR: z.enum(['receipt', 'decision']).default(DEFAULT_DEADLINE_SETTINGS.onderzoekStartAnchor),
  DEADLINE_ONDERZOEK_WEEKS: int(1, 52).default(DEFAULT_DEADLINE_SETTINGS.onderzoekWeeks),
  DEADLINE_ONDERZOEK_ANCHOR: z.enum(['decision', 'assessment_term']).default(DEFAULT_DEADLINE_SETTINGS.onderzoekAnchor),
  DEADLINE_FEEDBACK_WERKDAGEN: int(1, 30).default(DEFAULT_DEADLINE_SETTINGS.feedbackWerkdagen),
  DEADLINE_HANDOVER_CONFIRMATION_WERKDAGEN: int(1, 30).default(DEFAULT_DEADLINE_SETTINGS.handoverConfirmationWerkdagen),
  DEADLINE_WARNING_WERKDAGEN: int(1, 10).default(DEFAULT_DEADLINE_SETTINGS.warningWerkdagen),
  QUALITY_PLAN_WARNING_WERKDAGEN: int(1, 20).default(5),
  PUBLIC_BASE_URL: z.url().optional(),
  /** The e-mail address integrators reach the API's maintainers at: `info.contact.email` of the document (NL API Design Rules /core/doc-openapi-contact). */
  API_CONTACT_EMAIL: z.email().optional(),
  REDIS_PREFIX: z.string().regex(/^[A-Za-z0-9_{}-]+$/, 'letters, digits, _ - { } only (use {…} for a Redis Cluster hash tag)').default('vt'),
  WORKER_CONCURRENCY: int(1, 200).default(10),
  /** How long a job stays locked to a worker; a killed worker's job is retried after it. */
  WORKER_LOCK_DURATION_MS: int(500, 600_000).default(30_000),
  RECONCILE_INTERVAL_MS: int(100, 3_600_000).optional(),
  /** BullMQ mode: how often each worker polls the deadline timer index for what is due (workers/timer-drainer.ts). */
  TIMER_POLL_MS: int(20, 10_000).default(150),
  /** The audit sealer's pause once its queue is empty: an audit row waits at most about this long for its seal. */
  AUDIT_SEAL_INTERVAL_MS: int(10, 60_000).default(200),
  ESCALATION_WORKING_MINUTES: z.coerce.number().positive().max(10 * 24 * 60).default(240),
  OFFICE_HOURS: z
    .string()
    .regex(/^\d{2}:\d{2}-\d{2}:\d{2}$/, 'must be HH:MM-HH:MM')
    .default('08:00-17:00')
    .transform((v) => {
      const [start = '', end = ''] = v.split('-');
      const minutes = (hm: string) => Number(hm.slice(0, 2)) * 60 + Number(hm.slice(3, 5));
      return { startMinute: minutes(start), endMinute: minutes(end) };
    })
    .refine((h) => h.startMinute < h.endMinute && h.endMinute <= 24 * 60, 'the start must come before the end'),
  ESCALATION_EMAIL: z.email().optional(),
  SMTP_URL: z.url({ protocol: /^smtps?$/ }).optional(),
  SMTP_FROM: z.email().default('veiligthuis-alerts@localhost'),
  DISCLOSURE_ROUND_TO: int(1, 100).default(5),
  DISCLOSURE_MIN_COUNT: int(0, 1000).default(10),
  DELIVERY_MAX_ATTEMPTS: int(1, 20).default(6),
  DELIVERY_BACKOFF_MS: int(10, 3_600_000).default(2_000),
  RETENTION_YEARS: int(1, 115).default(DEFAULT_RETENTION_SETTINGS.years),
  RETENTION_MIN_CHILD_AGE: int(0, 30).default(DEFAULT_RETENTION_SETTINGS.minAgeOfYoungestChild),
  RETENTION_BATCH_SIZE: int(1, 10_000).default(200),
  /** How far back a melding's or advies' receivedAt may lie: older is a typing error, and would alert at once. */
  /** Host names (or IPs) webhooks may reach although they are internal: a region's own receivers. Comma-separated. */
  WEBHOOK_ALLOWED_HOSTS: z.string().default(''),
  RECEIVED_AT_MAX_AGE_DAYS: int(1, 3660).default(365),
  RATE_LIMIT_MAX: int(1, 10_000_000).default(600),
  RATE_LIMIT_WINDOW_MS: int(1_000, 86_400_000).default(60_000),
  /** `id:base64` of 32-byte keys, comma-separated; the first encrypts shielded melders, all decrypt (rotation). */
  MELDER_ENCRYPTION_KEYS: z
    .string()
    .transform((v, ctx) => {
      const keys = v.split(',').map((part) => part.trim()).filter(Boolean).map((part) => {
        const [id = '', b64 = ''] = part.split(/:(.*)/s);
        return { id, key: Buffer.from(b64, 'base64') };
      });
      if (keys.length === 0) ctx.addIssue({ code: 'custom', message: 'must name at least one key as id:base64' });
      for (const k of keys) {
        if (!/^[A-Za-z0-9_.-]{1,32}$/.test(k.id)) ctx.addIssue({ code: 'custom', message: `key id '${k.id}' must be 1-32 letters, digits, _ . or -` });
        if (k.key.length !== 32) ctx.addIssue({ code: 'custom', message: `key '${k.id}' must be 32 bytes in base64 (openssl rand -base64 32), not ${k.key.length}` });
      }
      if (new Set(keys.map((k) => k.id)).size !== keys.length) ctx.addIssue({ code: 'custom', message: 'key ids must be unique' });
      return keys;
    })
    .optional(),
  /** Only for `npm run migrate` and boot-time migrations: the schema owner, when DATABASE_URL is the application role. */
  MIGRATION_DATABASE_URL: z.url({ protocol: /^postgres(ql)?$/ }).optional(),
});

export type Env = z.infer<typeof envSchema>;

export interface Config extends Readonly<Env> {
  readonly region: VtRegion;
  readonly PUBLIC_BASE_URL: string;
}

export class ConfigError extends Error {}

function loadRegion(env: Env): VtRegion {
  if (env.VT_REGION_FILE) {
    const parsed = vtRegionSchema.safeParse(JSON.parse(readFileSync(env.VT_REGION_FILE, 'utf8')));
    if (!parsed.success) throw new ConfigError(`VT_REGION_FILE: ${parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`);
    return parsed.data;
  }
  const region = BUILT_IN_REGIONS[env.VT_REGION];
  if (!region) throw new ConfigError(`VT_REGION: unknown region '${env.VT_REGION}' (built in: ${Object.keys(BUILT_IN_REGIONS).join(', ')}; or set VT_REGION_FILE)`);
  return region;
}

/** Parses the environment once; reports every bad variable at once. */
export function parseConfig(source: Record<string, string | undefined>): Config {
  const parsed = envSchema.safeParse(source);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `  ${i.path.join('.') || '(env)'}: ${i.message}`);
    throw new ConfigError(`invalid configuration:\n${lines.join('\n')}`);
  }
  const env = parsed.data;
  if (env.NODE_ENV === 'production' && !env.AUTH_JWT_SECRET && !env.AUTH_JWKS_URL) {
    throw new ConfigError('invalid configuration:\n  AUTH_JWT_SECRET or AUTH_JWKS_URL: one is required in production');
  }
  if (env.MIGRATION_DATABASE_URL && !env.DATABASE_URL) {
    throw new ConfigError('invalid configuration:\n  MIGRATION_DATABASE_URL: only with DATABASE_URL (the embedded database has no separate owner)');
  }
  if (env.AUTH_OIDC_ISSUER && !env.AUTH_OIDC_CLIENT_ID) {
    throw new ConfigError('invalid configuration:\n  AUTH_OIDC_CLIENT_ID: is required when AUTH_OIDC_ISSUER is set');
  }
  return Object.freeze({ ...env, PUBLIC_BASE_URL: env.PUBLIC_BASE_URL ?? `http://${env.HOST}:${env.PORT}`, region: loadRegion(env) });
}

let cached: Config | undefined;

/** The process's configuration, parsed from `process.env` on first use. The only reader of `process.env`. */
export function config(): Config {
  cached ??= parseConfig(process.env);
  return cached;
}

export function jwtSecret(cfg: Config): string | undefined {
  if (cfg.AUTH_JWT_SECRET) return cfg.AUTH_JWT_SECRET;
  return cfg.NODE_ENV === 'production' || cfg.AUTH_JWKS_URL ? undefined : DEVELOPMENT_JWT_SECRET;
}

/** A fixed development key, so shielded melders in ./.data stay readable across restarts; refused in production. */
export const DEVELOPMENT_MELDER_KEY = { id: 'development-only', key: createHash('sha256').update('veilig-thuis development-only melder key').digest() };

/**
 * The keys for shielded melders' identities: configured, or outside production the development key. Checked when the
 * services are built (so tools that never touch melders, like `npm run token`, keep their own messages).
 */
export function melderKeys(cfg: Config): Array<{ id: string; key: Buffer }> {
  if (cfg.MELDER_ENCRYPTION_KEYS) return cfg.MELDER_ENCRYPTION_KEYS;
  if (cfg.NODE_ENV === 'production') throw new ConfigError('invalid configuration:\n  MELDER_ENCRYPTION_KEYS: required in production (id:base64 of a 32-byte key, e.g. k1:$(openssl rand -base64 32))');
  return [DEVELOPMENT_MELDER_KEY];
}

/** How the dashboard signs in: OIDC in the browser where an issuer is configured, else a pasted token. */
export function dashboardOidcOf(cfg: Config): { issuer: string; clientId: string; scope: string } | null {
  return cfg.AUTH_OIDC_ISSUER && cfg.AUTH_OIDC_CLIENT_ID ? { issuer: cfg.AUTH_OIDC_ISSUER, clientId: cfg.AUTH_OIDC_CLIENT_ID, scope: cfg.AUTH_OIDC_SCOPE } : null;
}

/** The machine's rule settings from configuration (one place, for the service and the seed alike). */
export function ruleSettingsOf(cfg: Config): MeldingRuleSettings {
  return { childSpokenFromAge: cfg.CHILD_SPOKEN_FROM_AGE, fourEyes: cfg.FOUR_EYES, approvers: cfg.FOUR_EYES_APPROVERS };
}

/** The retention term and the youngest child's age before which no dossier is destroyed. */
export function retentionSettingsOf(cfg: Config): RetentionSettings {
  return { years: cfg.RETENTION_YEARS, minAgeOfYoungestChild: cfg.RETENTION_MIN_CHILD_AGE };
}

/** Where alert webhooks may go: https only in production, public addresses only except the allowed hosts. */
export function webhookPolicyOf(cfg: Config): WebhookPolicy {
  return { httpsOnly: cfg.NODE_ENV === 'production', allowedHosts: parseAllowedHosts(cfg.WEBHOOK_ALLOWED_HOSTS) };
}

/** The deadline policy's terms from configuration. */
export function deadlineSettingsOf(cfg: Config): DeadlineSettings {
  return {
    acuteMinutes: cfg.DEADLINE_ACUTE_MINUTES,
    assessmentWerkdagen: cfg.DEADLINE_ASSESSMENT_WERKDAGEN,
    onderzoekStartDays: cfg.DEADLINE_ONDERZOEK_START_DAYS,
    onderzoekStartAnchor: cfg.DEADLINE_ONDERZOEK_START_ANCHOR,
    onderzoekWeeks: cfg.DEADLINE_ONDERZOEK_WEEKS,
    onderzoekAnchor: cfg.DEADLINE_ONDERZOEK_ANCHOR,
    feedbackWerkdagen: cfg.DEADLINE_FEEDBACK_WERKDAGEN,
    handoverConfirmationWerkdagen: cfg.DEADLINE_HANDOVER_CONFIRMATION_WERKDAGEN,
    warningWerkdagen: cfg.DEADLINE_WARNING_WERKDAGEN,
  };
}
