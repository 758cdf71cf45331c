import { assertCompleteHandlers, compactUuid, expandUuid, JOB_CATALOGUE, JOB_NAMES, jobIds } from '../../workers/job-catalogue';

const noop = async () => undefined;
const complete = () => Object.fromEntries(JOB_NAMES.map((name) => [name, noop]));

describe('job catalogue', () => {
  it('accepts exactly one handler per job', () => {
    expect(() => assertCompleteHandlers(complete())).not.toThrow();
  });

  it('refuses to boot when a handler is missing', () => {
    const handlers: Record<string, unknown> = complete();
    delete handlers['alert-escalate'];
    expect(() => assertCompleteHandlers(handlers)).toThrow(/missing handlers \[alert-escalate\]/);
  });

  it('refuses to boot with a handler for a job the catalogue does not know', () => {
    expect(() => assertCompleteHandlers({ ...complete(), 'send-fax': noop })).toThrow(/unknown handlers \[send-fax\]/);
  });

  it('validates payloads with the catalogue schema', () => {
    expect(JOB_CATALOGUE['alert-escalate'].payload.safeParse({ alertId: 'not-a-uuid' }).success).toBe(false);
    expect(JOB_CATALOGUE['alert-escalate'].payload.safeParse({ alertId: '3f0b1c6e-7a2d-4e5f-9b8c-1d2e3f4a5b6c' }).success).toBe(true);
  });

  it('has no deadline warning or breach jobs: those fire from the timer index', () => {
    expect(JOB_NAMES).not.toContain('deadline-warn');
    expect(JOB_NAMES).not.toContain('deadline-breach');
  });

  it('makes deterministic jobIds without ":" (BullMQ rejects it)', () => {
    const id = '3f0b1c6e-7a2d-4e5f-9b8c-1d2e3f4a5b6c';
    expect(jobIds.escalate(id)).toBe(jobIds.escalate(id));
    expect(jobIds.deliver(id, 2)).not.toBe(jobIds.deliver(id, 3));
    for (const jobId of [jobIds.escalate(id), jobIds.deliver(id, 2)]) expect(jobId).not.toContain(':');
  });

  it('compacts a uuid to 22 characters for the timer index, and back', () => {
    const id = '3f0b1c6e-7a2d-4e5f-9b8c-1d2e3f4a5b6c';
    expect(compactUuid(id)).toHaveLength(22);
    expect(compactUuid(id)).not.toContain(':');
    expect(expandUuid(compactUuid(id))).toBe(id);
  });
});

describe('request ids in job payloads', () => {
  it('accepts a well-formed requestId beside the ids and refuses one with spaces, or any other field', () => {
    const alertId = '3f0b1c6e-7a2d-4e5f-9b8c-1d2e3f4a5b6c';
    const payload = JOB_CATALOGUE['alert-escalate'].payload;
    expect(payload.safeParse({ alertId, requestId: 'req-1' }).success).toBe(true);
    expect(payload.safeParse({ alertId, requestId: 'two words' }).success).toBe(false);
    expect(payload.safeParse({ alertId, requestId: 'req-1', name: 'Voorbeeld Kind' }).success).toBe(false);
  });
});
