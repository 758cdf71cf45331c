import { z } from 'zod';
import { DISCIPLINES } from '../../workflows/melding/melding.events';
import { singleLine } from '../../workflows/reference/text-rules';
import { AppError } from '../shared/errors';

export const ROLES = ['medewerker', 'teamleider', 'manager', 'gemeente', 'beheerder'] as const;
export type Role = (typeof ROLES)[number];

/** Who is calling, as the identity provider says. Teams come from the token: the IdP is the source of truth. */
export interface Principal {
  sub: string;
  role: Role;
  teams: string[];
  gemeente: string | null;
  /** The professional's discipline (claim `discipline`), e.g. gedragswetenschapper; FOUR_EYES_APPROVERS may name it. */
  discipline?: string;
  /** When the token expires (its `exp`); set for every verified token, so a long-lived stream can end with it. */
  expiresAt?: Date;
}

const teamId = z.string().regex(/^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$/, 'must be 1-64 letters, digits, _ . or -');

/** The claims this service reads from a verified token. */
export const claimsSchema = z
  .object({
    sub: singleLine(z.string().min(1).max(200)),
    role: z.enum(ROLES),
    teams: z.array(teamId).max(50).default([]),
    gemeente: z.string().regex(/^GM\d{4}$/).optional(),
    discipline: z.enum(DISCIPLINES).optional(),
  })
  .superRefine((c, ctx) => {
    if (c.role === 'gemeente' && !c.gemeente) ctx.addIssue({ code: 'custom', path: ['gemeente'], message: 'a gemeente token names its gemeente' });
    if ((c.role === 'medewerker' || c.role === 'teamleider') && c.teams.length === 0) {
      ctx.addIssue({ code: 'custom', path: ['teams'], message: 'staff tokens name at least one team' });
    }
  });

export const teamIdSchema = teamId;

export function principalFromClaims(claims: z.infer<typeof claimsSchema>): Principal {
  return { sub: claims.sub, role: claims.role, teams: claims.teams, gemeente: claims.gemeente ?? null, ...(claims.discipline ? { discipline: claims.discipline } : {}) };
}

/** Staff register for one of their own teams (the identity provider says which); the first is the default. */
export function registeringTeam(principal: Principal, requested: string | undefined): string {
  const teamId = requested ?? principal.teams[0];
  if (!teamId) throw new AppError('AUTH.FORBIDDEN', 'your token names no team to register for');
  if (!principal.teams.includes(teamId)) throw new AppError('AUTH.FORBIDDEN', `you are not in team ${teamId}`);
  return teamId;
}
