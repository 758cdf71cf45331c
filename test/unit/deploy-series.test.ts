import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import type { Database } from '../../db/database';
import { OpsMetrics } from '../../src/ops/metrics';
import { systemClock } from '../../src/shared/clock';

const ROOT = resolve(__dirname, '../..');
const seriesIn = (text: string) => new Set([...text.matchAll(/\bvt_[a-z_]+/g)].map((m) => m[0].replace(/_(bucket|count|sum)$/, '')));

describe('deploy/: alert rules and the Grafana dashboard', () => {
  // Registering the series reads nothing: the database is only queried at scrape time.
  const metrics = new OpsMetrics({ db: null as unknown as Database, clock: systemClock });

  it.each(['deploy/prometheus/alerts.yml', 'deploy/grafana/veilig-thuis-workflow.json'])('%s uses only series the service exposes', (file) => {
    const names = [...seriesIn(readFileSync(resolve(ROOT, file), 'utf8'))];
    expect(names.length).toBeGreaterThan(3);
    expect(names.filter((n) => !metrics.registry.getSingleMetric(n))).toEqual([]);
  });
});
