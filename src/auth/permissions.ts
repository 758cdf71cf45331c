import { AppError } from '../shared/errors';
import type { Principal, Role } from './principal';

/** Every permission the services check, with what it lets one do (the refusal names it). */
export const PERMISSIONS = {
  'melding.register': 'register a melding',
  'case.change': 'change a case',
  'case.read': 'read a case',
  'case.list': 'list cases',
  /** Read a case of another team with a reason (recorded in the audit trail). */
  'case.break-glass': "read another team's case with a reason",
  'melder.read': "read a case's melder",
  'advies.register': 'register an advies',
  'workspace.read': "have a caseworker's workspace",
  'alert.receive': 'receive alerts',
  'alert.acknowledge': 'acknowledge alerts',
  'deadline.adjust': 'record an opschorting or verlenging',
  'alert-channels.set': "set a team's alert channels",
  'dead-letters.read': 'see the dead-letter list',
  'audit.read': 'read the audit trail',
  'person.export': "export a person's data (right of access)",
  'cbs.delivery': 'fetch the CBS delivery',
  'ops-metrics.read': 'read /metrics',
  'retention.manage': 'manage retention and legal holds',
  'municipal-figures.read': 'read municipal figures',
  'quality-report.read': 'read the quality report',
  'quality-plan.read': 'read the improvement plan',
  'quality-plan.add': 'add items to the improvement plan or the certification track',
  'quality-plan.change': 'change the improvement plan',
  'scorecard.read': 'read the scorecard',
  'expectation-records.read': 'read the records of expectations',
  'expectation.record': 'record the status or norm of an expectation',
} as const;
export type Permission = keyof typeof PERMISSIONS;

/** How far a grant reaches: everything, or (given a team as the resource) only the principal's own teams. */
export type Scope = 'any' | 'own-teams';

/**
 * What each role may do. The one table: services call `authorize` with a permission, routes check no roles. A
 * gemeente's own region and gemeente, a plan item's owner and the four-eyes rules are checked where the data is.
 */
export const ROLE_PERMISSIONS: Record<Role, Partial<Record<Permission, Scope>>> = {
  medewerker: {
    'melding.register': 'own-teams',
    'case.change': 'own-teams',
    'case.read': 'own-teams',
    'case.list': 'own-teams',
    'melder.read': 'own-teams',
    'advies.register': 'own-teams',
    'workspace.read': 'own-teams',
    'alert.receive': 'own-teams',
  },
  teamleider: {
    'melding.register': 'own-teams',
    'case.change': 'own-teams',
    'case.read': 'own-teams',
    'case.list': 'own-teams',
    'case.break-glass': 'any',
    'melder.read': 'own-teams',
    'advies.register': 'own-teams',
    'workspace.read': 'own-teams',
    'alert.receive': 'own-teams',
    'alert.acknowledge': 'own-teams',
    'deadline.adjust': 'own-teams',
    'alert-channels.set': 'own-teams',
    'quality-report.read': 'own-teams',
    'quality-plan.read': 'any',
    'quality-plan.change': 'any',
    'scorecard.read': 'any',
    'expectation-records.read': 'any',
  },
  manager: {
    'case.read': 'any',
    'case.list': 'any',
    'case.break-glass': 'any',
    'melder.read': 'any',
    'alert.receive': 'any',
    'alert.acknowledge': 'any',
    'retention.manage': 'any',
    'municipal-figures.read': 'any',
    'quality-report.read': 'any',
    'quality-plan.read': 'any',
    'quality-plan.add': 'any',
    'quality-plan.change': 'any',
    'scorecard.read': 'any',
    'expectation-records.read': 'any',
    'expectation.record': 'any',
  },
  gemeente: {
    'municipal-figures.read': 'any',
    'quality-plan.read': 'any',
    'scorecard.read': 'any',
  },
  beheerder: {
    'alert-channels.set': 'any',
    'dead-letters.read': 'any',
    'audit.read': 'any',
    'person.export': 'any',
    'cbs.delivery': 'any',
    'ops-metrics.read': 'any',
    'retention.manage': 'any',
    'municipal-figures.read': 'any',
  },
};

/** What a permission is checked on: a team (a case's, an alert's, a channel's). Without one only the role counts. */
export interface Resource {
  team?: string;
}

/** The roles that hold a permission at all. */
export function rolesWith(permission: Permission): Role[] {
  return (Object.keys(ROLE_PERMISSIONS) as Role[]).filter((role) => ROLE_PERMISSIONS[role][permission] !== undefined);
}

/** Whether the principal holds the permission, on the resource's team if one is given. */
export function can(p: Principal, permission: Permission, resource?: Resource): boolean {
  const scope = ROLE_PERMISSIONS[p.role][permission];
  if (scope === undefined) return false;
  if (scope === 'any' || resource?.team === undefined) return true;
  return p.teams.includes(resource.team);
}

/** Refuses (403 AUTH.FORBIDDEN) what the principal may not do, saying which roles may. */
export function authorize(p: Principal, permission: Permission, resource?: Resource): void {
  if (can(p, permission, resource)) return;
  const what = PERMISSIONS[permission];
  if (ROLE_PERMISSIONS[p.role][permission] !== undefined && resource?.team !== undefined) {
    throw new AppError('AUTH.FORBIDDEN', `you may ${what} only for your own teams, not ${resource.team}`);
  }
  throw new AppError('AUTH.FORBIDDEN', `role ${p.role} may not ${what}; ${rolesWith(permission).join(', ')} may`);
}

/** Staff who may read the cases of a team: its members, and managers for every team. */
export function canReadTeam(p: Principal, team: string): boolean {
  return can(p, 'case.read', { team });
}

/** How far the principal's grant of a permission reaches (undefined: not at all); for lists scoped to teams. */
export function scopeOf(p: Principal, permission: Permission): Scope | undefined {
  return ROLE_PERMISSIONS[p.role][permission];
}
