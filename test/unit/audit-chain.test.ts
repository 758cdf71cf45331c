import { createHash } from 'node:crypto';
import { auditHash, auditRowHash, canonicalAuditRecord, chainBreak, GENESIS_HASH, sealBreak, sealHash, unsealedBreak, type LegacyChainedRow, type SealedRow } from '../../src/audit/audit-chain';

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
    const first: LegacyChainedRow = { ...fields, hash: auditHash(fields) };
    const secondFields = { ...fields, seq: 2, prev_hash: first.hash, break_glass: false, reason: null };
    const second: LegacyChainedRow = { ...secondFields, hash: auditHash(secondFields) };
    expect(chainBreak(first, null)).toBeNull();
    expect(chainBreak(second, { seq: 1, hash: first.hash })).toBeNull();
    expect(chainBreak(second, null)).toMatch(/expected seq 1 but found seq 2/);
    expect(chainBreak(second, { seq: 1, hash: 'f'.repeat(64) })).toMatch(/is not the hash of the row before/);
    expect(chainBreak({ ...second, actor_id: 'mallory' }, { seq: 1, hash: first.hash })).toMatch(/does not match its contents/);
  });
});

describe('sealed chain format (issue 19)', () => {
  const { seq: _seq, prev_hash: _prev, ...contents } = fields;
  const row = { ...contents, row_hash: auditRowHash(contents) };
  const link = (chainSeq: number, auditSeq: number, prev: string): SealedRow => ({
    chain_seq: chainSeq,
    audit_seq: auditSeq,
    prev_hash: prev,
    hash: sealHash({ chain_seq: chainSeq, audit_seq: auditSeq, row_hash: row.row_hash, prev_hash: prev }),
    row,
  });

  it('hashes a row over its contents alone, and a link over its position, the row, the row hash and the link before', () => {
    expect(auditRowHash(contents)).toBe(createHash('sha256').update(JSON.stringify(['vt-audit-row-v1', '2026-11-23T08:00:00.123Z', 'alice', 'teamleider', ['team-deventer'], 'case.read', '0b6c3f7e-1111-4222-8333-444455556666', 'team-zwolle', null, null, true, 'Waarneming voor team Zwolle'])).digest('hex'));
    const base = { chain_seq: 3, audit_seq: 7, row_hash: row.row_hash, prev_hash: GENESIS_HASH };
    for (const [key, value] of Object.entries({ chain_seq: 4, audit_seq: 8, row_hash: 'e'.repeat(64), prev_hash: 'f'.repeat(64) })) {
      expect({ key, same: sealHash({ ...base, [key]: value }) === sealHash(base) }).toEqual({ key, same: false });
    }
  });

  it('names what breaks a sealed link: a gap, a deleted row, a changed row, a wrong link, a changed seal', () => {
    const first = link(1, 5, GENESIS_HASH);
    const second = link(2, 4, first.hash);
    expect(sealBreak(first, null)).toBeNull();
    expect(sealBreak(second, { seq: 1, hash: first.hash })).toBeNull();
    expect(sealBreak(second, null)).toMatch(/expected chain position 1 but found position 2/);
    expect(sealBreak({ ...second, row: null }, { seq: 1, hash: first.hash })).toMatch(/is missing: it was deleted/);
    expect(sealBreak({ ...second, row: { ...row, actor_id: 'mallory' } }, { seq: 1, hash: first.hash })).toMatch(/row_hash .* does not match its contents/);
    // A changed row whose row hash was recomputed too: the seal no longer fits.
    const forged = { ...row, actor_id: 'mallory', row_hash: auditRowHash({ ...contents, actor_id: 'mallory' }) };
    expect(sealBreak({ ...second, row: forged }, { seq: 1, hash: first.hash })).toMatch(/seal hash .* does not match/);
    expect(sealBreak(second, { seq: 1, hash: 'f'.repeat(64) })).toMatch(/is not the hash of the link before/);
    expect(sealBreak({ ...second, audit_seq: 9 }, { seq: 1, hash: first.hash })).toMatch(/seal hash .* does not match/);
  });

  it('an unsealed row is checked against its own hash and the queue', () => {
    expect(unsealedBreak(row, true)).toBeNull();
    expect(unsealedBreak({ ...row, detail: 'x' }, true)).toMatch(/unsealed row: stored row_hash .* does not match/);
    expect(unsealedBreak(row, false)).toMatch(/not queued for sealing/);
  });
});
