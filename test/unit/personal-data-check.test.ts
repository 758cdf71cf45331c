import { join } from 'node:path';
import { linesWithPersonalData, testPersonalData } from '../support/personal-data-check';

describe('the run-wide log check for personal data', () => {
  const data = testPersonalData(join(__dirname, '..'));

  it('collects the synthetic persons of the test sources', () => {
    expect(data.names).toEqual(expect.arrayContaining(['Testouder Een', 'Testkind Een', 'Juf Testmelder', '038-0000000']));
    expect(data.bsns).toEqual(expect.arrayContaining(['111222333']));
    expect(data.names).not.toContain('X');
  });

  it('finds a name (also URL-encoded) or a BSN in a log line, and not a BSN inside a longer number', () => {
    const log = [
      '{"level":30,"msg":"incoming request","req":{"url":"/v1/cases/(no route)"}}',
      '{"level":50,"err":{"message":"duplicate for Testouder Een"}}',
      '{"level":30,"req":{"url":"/v1/x/Testkind%20Een"}}',
      '{"level":30,"bsn":"111222333"}',
      '{"level":30,"time":91112223334}',
    ].join('\n');
    const hits = linesWithPersonalData(log, data);
    expect([...new Set(hits.map((h) => h.line))]).toEqual([log.split('\n')[1], log.split('\n')[2], log.split('\n')[3]]);
    expect(hits.map((h) => h.found)).toEqual(expect.arrayContaining(['Testouder Een', 'Testkind Een', '111222333']));
  });
});
