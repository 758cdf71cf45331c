import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';

/**
 * The names, BSNs and contact details of the synthetic persons in the test sources: a person literal
 * (`role: 'kind', name: '…'`), a `bsn: '…'` or a `contact: '…'`. Read from the sources, so persons added by later
 * tests are covered without a list to keep up to date. Names under 5 characters ('X') are too common to grep for.
 */
export function testPersonalData(testDir: string): { names: string[]; bsns: string[] } {
  const files = (dir: string): string[] =>
    readdirSync(dir).flatMap((name) => {
      const path = join(dir, name);
      return statSync(path).isDirectory() ? files(path) : path.endsWith('.ts') ? [path] : [];
    });
  const names = new Set<string>();
  const bsns = new Set<string>();
  for (const file of files(testDir)) {
    const source = readFileSync(file, 'utf8');
    for (const m of source.matchAll(/role: '(?:kind|ouder|partner|ex_partner|oudere|pleger|overig)',\s*name: '([^']+)'/g)) names.add(m[1]!);
    for (const m of source.matchAll(/reporter: \{[^}]*?name: '([^']+)'/g)) names.add(m[1]!);
    for (const m of source.matchAll(/contact: '([^']+)'/g)) names.add(m[1]!);
    for (const m of source.matchAll(/bsn: '(\d{9})'/g)) bsns.add(m[1]!);
  }
  return { names: [...names].filter((n) => n.length >= 5).sort(), bsns: [...bsns].sort() };
}

/** Lines of a log that hold any of the names or BSNs (a BSN as a whole number, not inside a longer one). */
export function linesWithPersonalData(log: string, data: { names: string[]; bsns: string[] }): Array<{ found: string; line: string }> {
  const hits: Array<{ found: string; line: string }> = [];
  const bsnPatterns = data.bsns.map((b) => ({ b, re: new RegExp(`(?<!\\d)${b}(?!\\d)`) }));
  for (const line of log.split('\n')) {
    for (const name of data.names) if (line.includes(name) || line.includes(encodeURIComponent(name))) hits.push({ found: name, line });
    for (const { b, re } of bsnPatterns) if (re.test(line)) hits.push({ found: b, line });
  }
  return hits;
}

/** Checks the log file every test app of the run appended to (VT_TEST_LOG_FILE); throws naming what it found. */
export function checkRunLog(file: string, testDir: string): { lines: number } {
  if (!existsSync(file)) return { lines: 0 };
  const log = readFileSync(file, 'utf8');
  const hits = linesWithPersonalData(log, testPersonalData(testDir));
  if (hits.length > 0) {
    const sample = hits.slice(0, 5).map((h) => `  ${h.found}: ${h.line.slice(0, 300)}`);
    throw new Error(`personal data of test persons found in the logs of this run (${file}), ${hits.length} time(s):\n${sample.join('\n')}`);
  }
  return { lines: log.split('\n').filter(Boolean).length };
}
