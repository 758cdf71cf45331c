/**
 * Worker thread of the seeder: generates batches of synthetic cases, serialises them to the JSON the bulk insert
 * takes, and keeps its share of the waiting-list history until asked for it.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { SyntheticMeldingen } from '../synthetic-meldingen';
import { serializeBatch } from './bulk-insert';
import type { WorkerData, WorkerRequest, WorkerResponse } from './seed-runner';

const data = workerData as WorkerData;
const generator = new SyntheticMeldingen(data.settings, { ...data.run, now: new Date(data.nowMs) }, data.verifyEvery);
const history = generator.waitlistHistory();
const port = parentPort!;

port.on('message', (request: WorkerRequest) => {
  try {
    if (request.kind === 'batch') {
      const cases = [];
      for (let i = request.from; i < request.to; i++) {
        const c = generator.generate(i);
        history.add(c.timeline);
        cases.push(c);
      }
      const response: WorkerResponse = { id: request.id, batch: serializeBatch(cases, data.format) };
      port.postMessage(response);
    } else {
      const counts = history.data();
      const response: WorkerResponse = { id: request.id, counts };
      port.postMessage(response, [counts.open.buffer, counts.overdue.buffer, counts.todayOpen.buffer, counts.todayOverdue.buffer] as ArrayBuffer[]);
    }
  } catch (error) {
    const response: WorkerResponse = { id: request.id, error: error instanceof Error ? (error.stack ?? error.message) : String(error) };
    port.postMessage(response);
  }
});
