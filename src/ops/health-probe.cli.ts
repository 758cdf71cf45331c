/**
 * A container health check without curl: `node dist/src/ops/health-probe.cli.js http://127.0.0.1:3000/health/ready`.
 * Exit 0 when the URL answers 200 within 4 seconds, else 1 with the reason on stderr.
 */
async function probe(url: string | undefined): Promise<number> {
  if (!url) {
    process.stderr.write('usage: health-probe <url> (e.g. http://127.0.0.1:3000/health/ready)\n');
    return 1;
  }
  try {
    const res = await fetch(url, { signal: AbortSignal.timeout(4_000) });
    if (res.status === 200) return 0;
    process.stderr.write(`${url}: ${res.status} ${await res.text()}\n`);
    return 1;
  } catch (error) {
    process.stderr.write(`${url}: ${error instanceof Error ? error.message : String(error)}\n`);
    return 1;
  }
}

void probe(process.argv[2]).then((code) => process.exit(code));
