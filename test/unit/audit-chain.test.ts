import { createHash } from 'node:crypto';
import type { AuditLogRow } from '../../db/schema';
import { auditHash, canonicalAuditRecord, chainBreak, GENESIS_HASH } from '../../src/audit/audit-chain';

const fields = {
  seq: 1,
  at: new Date('2026-11-23T08:00:00.123Z'),
  actor_id: 'alice',
  actor_role: 'teamleider',
  actor_teams: ['team-deventer'],
  action: 'case.read',
  case_id: '0b6c3f7e-1111-4222-8333-444455556666',
  case_team: 'team-zwolle',
  person_id: null,
  detail: null,
  break_glass: true,
  reason: 'Waarneming voor team Zwolle',
  prev_hash: GENESIS_HASH,
};

describe('audit chain format', () => {
  it('serialises canonically: a fixed order, explicit nulls, UTC milliseconds, a version tag', () => {
    expect(canonicalAuditRecord(fields)).toBe(
      '["vt-audit-v1",1,"0000000000000000000000000000000000000000000000000000000000000000","2026-11-23T08:00:00.123Z","alice","teamleider",["team-deventer"],"case.read","0b6c3f7e-1111-4222-8333-444455556666","team-zwolle",null,null,true,"Waarneming voor team Zwolle"]',
    );
  });

  it('hashes that serialisation with SHA-256 (a change here would orphan every stored chain)', () => {
    expect(auditHash(fields)).toBe(createHash('sha256').update(canonicalAuditRecord(fields)).digest('hex'));
    expect(auditHash(fields)).toMatch(/^[0-9a-f]{64}$/);
    // Any field, changed, changes the hash.
    for (const [key, value] of Object.entries({ actor_id: 'bob', reason: null, break_glass: false, actor_teams: ['team-zwolle'], at: new Date('2026-11-23T08:00:00.124Z') })) {
      expect({ key, same: auditHash({ ...fields, [key]: value }) === auditHash(fields) }).toEqual({ key, same: false });
    }
  });

  it('names what breaks: a gap, a wrong link, changed contents', () => {
    const first: AuditLogRow = { ...fields, hash: auditHash(fields) };
    const secondFields = { ...fields, seq: 2, prev_hash: first.hash, break_glass: false, reason: null };
    const second: AuditLogRow = { ...secondFields, hash: auditHash(secondFields) };
    expect(chainBreak(first, null)).toBeNull();
    expect(chainBreak(second, { seq: 1, hash: first.hash })).toBeNull();
    expect(chainBreak(second, null)).toMatch(/expected seq 1 but found seq 2/);
    expect(chainBreak(second, { seq: 1, hash: 'f'.repeat(64) })).toMatch(/is not the hash of the row before/);
    expect(chainBreak({ ...second, actor_id: 'mallory' }, { seq: 1, hash: first.hash })).toMatch(/does not match its contents/);
  });
});
