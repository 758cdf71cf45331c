import { authorize, can } from '../auth/permissions';
import type { Principal } from '../auth/principal';
import { AppError } from '../shared/errors';

/** The HTTP header that carries a reason for reading a case outside one's own teams ("breaking the glass"). */
export const ACCESS_REASON_HEADER = 'x-access-reason';

/*
 * Who may break the glass (`case.break-glass` in src/auth/permissions.ts): supervisors. A teamleider stands in for colleagues of other teams (absence, a crisis
 * outside office hours, a re-report that lands in another team) and a manager oversees every team; both answer for
 * the reason they give. A medewerker works the cases of their own teams: another team's case reaches them by a
 * transfer, not by looking it up.
 */

/** What the caller sends with a read: an optional reason, required outside one's own teams. */
export interface AccessRequest {
  reason?: string;
}

/** How a read of a case is allowed: by being on the case (a member of its team), or by breaking the glass. */
export interface CaseAccess {
  onCase: boolean;
  breakGlass: boolean;
  reason: string | null;
}

/** Staff on the case: a member of the case's team, as the identity provider says (any reading role). */
export function isOnCase(p: Principal, caseTeam: string): boolean {
  return can(p, 'case.read') && p.teams.includes(caseTeam);
}

/**
 * Decides a read of a case of team `caseTeam`. Staff of the team read it; a teamleider or manager of another team
 * reads it only with a reason (recorded in the audit trail). A caller who could never read it (a medewerker of
 * another team) gets the 404 of a case that does not exist, so ids cannot be probed for existence.
 */
export function decideCaseRead(p: Principal, caseId: string, caseTeam: string, access: AccessRequest): CaseAccess {
  authorize(p, 'case.read');
  const reason = access.reason ?? null;
  if (isOnCase(p, caseTeam)) return { onCase: true, breakGlass: false, reason };
  if (!can(p, 'case.break-glass')) throw caseNotFound(caseId);
  if (reason === null) {
    // Not the team: who may break the glass learns that the case exists, not where it lies before giving a reason.
    throw new AppError('CASE.REASON_REQUIRED', `this case belongs to another team: to read it, give the reason in the ${ACCESS_REASON_HEADER} header (it is recorded in the audit trail)`);
  }
  return { onCase: false, breakGlass: true, reason };
}

/** The one answer for a case that does not exist and for one the caller could never read. */
export function caseNotFound(caseId: string): AppError {
  return new AppError('CASE.NOT_FOUND', `case ${caseId} does not exist`);
}

/**
 * Refuses what the caller may not do on a case of another team: a teamleider or manager (who could break the glass
 * to read it, so knows it exists) gets 403 without the team; anyone else the 404 of `notFound`.
 */
export function refuseOtherTeam(p: Principal, notFound: AppError, what = 'this case belongs to another team'): AppError {
  return can(p, 'case.break-glass') ? new AppError('CASE.FORBIDDEN', what) : notFound;
}
