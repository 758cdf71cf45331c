import pino from 'pino';

/** Log lines are gathered up to this many bytes before a write… */
const BATCH_BYTES = 4096;
/** …or written after at most this long, so a quiet service's lines still appear at once to a reader. */
const FLUSH_MS = 100;

/**
 * Standard output for the service's logs, written in batches: pino's default destination starts one write for
 * every line (two a request), and under load those writes cost more CPU than the lines themselves. pino flushes what
 * is gathered when the process exits (also on an uncaught error); a SIGKILL loses at most the last FLUSH_MS.
 */
export function batchedStdout(): pino.DestinationStream {
  // One per process, whichever apps log to it (tests build many), so lines from two never interleave mid-batch.
  shared ??= pino.destination({ dest: 1, minLength: BATCH_BYTES, periodicFlush: FLUSH_MS });
  return shared;
}

let shared: pino.DestinationStream | undefined;
