import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { authorize, can, canReadTeam, PERMISSIONS, rolesWith, ROLE_PERMISSIONS, scopeOf, type Permission } from '../../src/auth/permissions';
import { ROLES, type Principal, type Role } from '../../src/auth/principal';
import { AppError } from '../../src/shared/errors';

const who = (role: Role, teams: string[] = ['team-a']): Principal => ({ sub: `${role}-1`, role, teams, gemeente: role === 'gemeente' ? 'GM0193' : null });

function refusal(fn: () => void): { code: string; message: string } | null {
  try {
    fn();
    return null;
  } catch (e) {
    if (!(e instanceof AppError)) throw e;
    return { code: e.code, message: e.message };
  }
}

describe('src/auth/permissions.ts', () => {
  it('grants each permission to the roles the services allowed before the table', () => {
    const expected: Partial<Record<Permission, Role[]>> = {
      'melding.register': ['medewerker', 'teamleider'],
      'case.change': ['medewerker', 'teamleider'],
      'case.read': ['medewerker', 'teamleider', 'manager'],
      'case.break-glass': ['teamleider', 'manager'],
      'alert.receive': ['medewerker', 'teamleider', 'manager'],
      'alert.acknowledge': ['teamleider', 'manager'],
      'deadline.adjust': ['teamleider'],
      'alert-channels.set': ['teamleider', 'beheerder'],
      'retention.manage': ['manager', 'beheerder'],
      'audit.read': ['beheerder'],
      'person.export': ['beheerder'],
      'municipal-figures.read': ['manager', 'gemeente', 'beheerder'],
      'quality-plan.add': ['manager'],
      'expectation.record': ['manager'],
    };
    for (const [permission, roles] of Object.entries(expected)) expect({ permission, roles: rolesWith(permission as Permission) }).toEqual({ permission, roles });
    // Every permission is held by some role, and every role's grants name known permissions.
    for (const permission of Object.keys(PERMISSIONS) as Permission[]) expect({ permission, held: rolesWith(permission).length > 0 }).toEqual({ permission, held: true });
    for (const role of ROLES) for (const permission of Object.keys(ROLE_PERMISSIONS[role])) expect(Object.keys(PERMISSIONS)).toContain(permission);
  });

  it('refuses with AUTH.FORBIDDEN naming the roles that may', () => {
    expect(refusal(() => authorize(who('gemeente'), 'case.read'))).toEqual({ code: 'AUTH.FORBIDDEN', message: 'role gemeente may not read a case; medewerker, teamleider, manager may' });
    expect(refusal(() => authorize(who('medewerker'), 'case.read'))).toBeNull();
  });

  it('limits an own-teams grant to the teams of the token when a team is the resource; an any grant reaches every team', () => {
    expect(can(who('teamleider'), 'alert-channels.set', { team: 'team-a' })).toBe(true);
    expect(refusal(() => authorize(who('teamleider'), 'alert-channels.set', { team: 'team-b' }))).toEqual({ code: 'AUTH.FORBIDDEN', message: "you may set a team's alert channels only for your own teams, not team-b" });
    expect(can(who('beheerder', []), 'alert-channels.set', { team: 'team-b' })).toBe(true);
    expect(canReadTeam(who('medewerker'), 'team-a')).toBe(true);
    expect(canReadTeam(who('medewerker'), 'team-b')).toBe(false);
    expect(canReadTeam(who('manager', []), 'team-b')).toBe(true);
    expect(canReadTeam(who('beheerder', ['team-a']), 'team-a')).toBe(false);
    expect([scopeOf(who('manager'), 'case.list'), scopeOf(who('teamleider'), 'case.list'), scopeOf(who('gemeente'), 'case.list')]).toEqual(['any', 'own-teams', undefined]);
  });

  it('leaves no role check in the routes: they call the services (or authorize) and never compare roles', () => {
    const dir = join(__dirname, '../../src/http/routes');
    const offending = readdirSync(dir).flatMap((name) =>
      readFileSync(join(dir, name), 'utf8')
        .split('\n')
        .filter((line) => /\.role\s*[!=]==|includes\([^)]*\.role\)/.test(line))
        .map((line) => `${name}: ${line.trim()}`),
    );
    expect(offending).toEqual([]);
  });
});
