import { DeferredLog, OutageLog, type LogSink } from '../../src/shared/outage-log';

function recorder(): LogSink & { lines: Array<{ level: string; obj: Record<string, unknown>; msg: string }> } {
  const lines: Array<{ level: string; obj: Record<string, unknown>; msg: string }> = [];
  const at = (level: string) => (obj: object, msg: string) => void lines.push({ level, obj: obj as Record<string, unknown>, msg });
  return { lines, info: at('info'), warn: at('warn'), error: at('error') };
}

describe('OutageLog', () => {
  it('logs an outage once however many errors it brings, and its end once with the count', () => {
    const log = recorder();
    const outages = new OutageLog(log);
    const recoveries: string[] = [];
    outages.onRecovered((resource) => recoveries.push(resource));
    for (let i = 0; i < 1000; i++) outages.failed('redis', new Error('connect ECONNREFUSED 127.0.0.1:6379'));
    outages.failed('postgres', new Error('Connection terminated unexpectedly'));
    expect(log.lines.map((l) => [l.level, l.msg])).toEqual([
      ['error', 'redis unavailable'],
      ['error', 'postgres unavailable'],
    ]);
    outages.recovered('redis');
    outages.recovered('redis');
    expect(log.lines).toHaveLength(3);
    expect(log.lines[2]).toMatchObject({ level: 'warn', msg: 'redis available again', obj: { resource: 'redis', errors: 1000 } });
    expect(recoveries).toEqual(['redis']);
    expect(outages.isDown('postgres')).toBe(true);
    // A new outage of the same resource is a new line.
    outages.failed('redis', new Error('again'));
    expect(log.lines.at(-1)).toMatchObject({ level: 'error', msg: 'redis unavailable', obj: { err: { message: 'again' } } });
    outages.stop();
  });

  it('ends an outage when its probe says the resource is back', async () => {
    const log = recorder();
    const outages = new OutageLog(log, 10);
    let up = false;
    outages.probe('postgres', () => up);
    outages.failed('postgres', new Error('Connection terminated unexpectedly'));
    await new Promise((r) => setTimeout(r, 50));
    expect(outages.isDown('postgres')).toBe(true);
    up = true;
    await new Promise((r) => setTimeout(r, 50));
    expect(outages.isDown('postgres')).toBe(false);
    expect(log.lines.map((l) => l.msg)).toEqual(['postgres unavailable', 'postgres available again']);
  });

  it('logs nothing for connections closed at shutdown', () => {
    const log = recorder();
    const outages = new OutageLog(log);
    outages.stop();
    outages.failed('redis', new Error('connection closed'));
    expect(log.lines).toHaveLength(0);
  });
});

describe('DeferredLog', () => {
  it('keeps a bounded number of lines until attached, says how many it dropped, then writes through', () => {
    const deferred = new DeferredLog(3);
    for (let i = 0; i < 10; i++) deferred.error({ i }, 'early');
    const log = recorder();
    deferred.attach(log);
    expect(log.lines.map((l) => l.obj)).toEqual([{ i: 0 }, { i: 1 }, { i: 2 }, { dropped: 7 }]);
    deferred.warn({}, 'late');
    expect(log.lines.at(-1)).toMatchObject({ level: 'warn', msg: 'late' });
  });
});
