import { AUDIT_ROW_COLUMNS } from '../../src/audit/audit.repository';
import { auditRowOf } from '../../src/audit/audit-trail';
import { changeStatement, type ChangeStatementInput } from '../../src/cases/case-change-statement';

const audit = auditRowOf({ actor: { id: 'alice', role: 'medewerker', teams: ['team-zwolle'] }, action: 'case.event', caseId: 'c1', caseTeam: 'team-zwolle', detail: 'NOTE_ADDED' }, new Date('2026-11-23T08:00:00Z'));
const input = (o: Partial<ChangeStatementInput> = {}): ChangeStatementInput => ({
  caseId: 'c1',
  lockedVersion: 4,
  at: new Date('2026-11-23T08:00:00Z'),
  changes: { state: 'onderzoek', snapshot: '{}', closed_at: null },
  historyId: 'e1',
  event: { type: 'NOTE_ADDED', actor: { id: 'alice', role: 'medewerker' }, fromState: 'onderzoek', toState: 'onderzoek', payload: { text: 'x' } },
  audit,
  details: true,
  ...o,
});

/** Which placeholders the text uses. */
const placeholders = (text: string) => new Set([...text.matchAll(/\$(\d+)/g)].map((m) => Number(m[1])));

describe('the case ledger change statement', () => {
  it('writes the audit row with exactly the columns the trail hashes', () => {
    expect(Object.keys(audit).sort()).toEqual([...AUDIT_ROW_COLUMNS].sort());
  });

  it('uses every parameter it sends, and no other', () => {
    for (const details of [true, false]) {
      for (const changes of [{}, { violence_types: ['kindermishandeling'] }, { state: 'afgesloten', snapshot: '{}', closed_at: new Date(), destroy_on: '2046-11-23', retention_rule: 'closure_term' }]) {
        const q = changeStatement(input({ details, changes }));
        const used = placeholders(q.sql);
        expect([...used].sort((a, b) => a - b)).toEqual(q.parameters.map((_, i) => i + 1));
      }
    }
  });

  it('sends the values in their places: the versions, the changed columns, the history row', () => {
    const q = changeStatement(input());
    const at = (n: number) => q.parameters[n - 1];
    const param = (pattern: RegExp) => Number(pattern.exec(q.sql)![1]);
    expect(at(param(/"state" = \$(\d+)/))).toBe('onderzoek');
    expect(at(param(/"closed_at" = \$(\d+)/))).toBeNull();
    expect(at(param(/"version" = \$(\d+), "updated_at"/))).toBe(5);
    expect(at(param(/where "id" = \$\d+ and "version" = \$(\d+)/))).toBe(4);
    expect(at(param(/select \$(\d+), "changed"\."id"/))).toBe('e1');
    expect(q.parameters).toContain(JSON.stringify({ text: 'x' }));
    expect(q.sql).toContain('"next_due_at" = (select min(d.due_at)');
    expect(q.sql).toContain('as "vervolgmeldingen"');
    expect(changeStatement(input({ details: false })).sql).not.toContain('"persons"');
  });

  it('lets a change that sets next_due_at itself keep it', () => {
    const q = changeStatement(input({ changes: { next_due_at: null } }));
    expect(q.sql).not.toContain('select min(d.due_at)');
    expect(q.sql).toMatch(/"next_due_at" = \$\d+/);
  });

  it('refuses a column name that is not a plain identifier', () => {
    expect(() => changeStatement(input({ changes: { 'state" = null, "x': 1 } }))).toThrow('not a column of cases');
  });
});
