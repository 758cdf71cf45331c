import { assertCompleteHandlers, JOB_CATALOGUE, JOB_NAMES, jobIds } from '../../workers/job-catalogue';

const noop = async () => undefined;
const complete = () => Object.fromEntries(JOB_NAMES.map((name) => [name, noop]));

describe('job catalogue', () => {
  it('accepts exactly one handler per job', () => {
    expect(() => assertCompleteHandlers(complete())).not.toThrow();
  });

  it('refuses to boot when a handler is missing', () => {
    const handlers: Record<string, unknown> = complete();
    delete handlers['deadline-breach'];
    expect(() => assertCompleteHandlers(handlers)).toThrow(/missing handlers \[deadline-breach\]/);
  });

  it('refuses to boot with a handler for a job the catalogue does not know', () => {
    expect(() => assertCompleteHandlers({ ...complete(), 'send-fax': noop })).toThrow(/unknown handlers \[send-fax\]/);
  });

  it('validates payloads with the catalogue schema', () => {
    expect(JOB_CATALOGUE['deadline-breach'].payload.safeParse({ deadlineId: 'not-a-uuid' }).success).toBe(false);
    expect(JOB_CATALOGUE['deadline-breach'].payload.safeParse({ deadlineId: '3f0b1c6e-7a2d-4e5f-9b8c-1d2e3f4a5b6c' }).success).toBe(true);
  });

  it('makes deterministic jobIds without ":" (BullMQ rejects it), distinct per end moment', () => {
    const id = '3f0b1c6e-7a2d-4e5f-9b8c-1d2e3f4a5b6c';
    const due = new Date('2026-11-27T22:59:59.999Z');
    expect(jobIds.breach(id, due)).toBe(jobIds.breach(id, new Date(due)));
    expect(jobIds.breach(id, due)).not.toBe(jobIds.breach(id, new Date(due.getTime() + 86_400_000)));
    for (const jobId of [jobIds.breach(id, due), jobIds.warn(id, due), jobIds.escalate(id), jobIds.deliver(id, 2)]) expect(jobId).not.toContain(':');
  });
});

describe('request ids in job payloads', () => {
  it('accepts a well-formed requestId beside the ids and refuses one with spaces, or any other field', () => {
    const deadlineId = '3f0b1c6e-7a2d-4e5f-9b8c-1d2e3f4a5b6c';
    const payload = JOB_CATALOGUE['deadline-breach'].payload;
    expect(payload.safeParse({ deadlineId, requestId: 'req-1' }).success).toBe(true);
    expect(payload.safeParse({ deadlineId, requestId: 'two words' }).success).toBe(false);
    expect(payload.safeParse({ deadlineId, requestId: 'req-1', name: 'Voorbeeld Kind' }).success).toBe(false);
  });
});
