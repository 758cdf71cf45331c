import type { Database } from '../../db/database';
import { GENESIS_HASH, sealHash } from './audit-chain';
import { auditRepository } from './audit.repository';

export interface AuditSealerOptions {
  db: Database;
  /** Rows chained per transaction. */
  batchSize?: number;
  /** The pause between rounds once the queue is empty: the longest a row waits for its seal, plus one round. */
  intervalMs?: number;
  log?: { error(obj: object, msg: string): void };
}

/**
 * Chains the queued audit rows (`audit_pending`) into `audit_seal`, in batches: per batch one transaction that takes
 * the sealer lock (try-lock: with several processes, one seals and the others skip the round), the head of the
 * chain, up to `batchSize` queued rows in seq order, and appends one link per row. Rows committed late (a lower seq
 * than rows already sealed) are simply sealed in a later batch: the chain's order is the order of sealing.
 */
export class AuditSealer {
  private readonly batchSize: number;
  private readonly intervalMs: number;
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<void> | null = null;
  private stopped = true;

  constructor(private readonly o: AuditSealerOptions) {
    this.batchSize = o.batchSize ?? 2_000;
    this.intervalMs = o.intervalMs ?? 100;
  }

  /** Seals one batch; the number of rows sealed (0 when the queue is empty or another sealer holds the lock). */
  async sealBatch(): Promise<number> {
    return this.o.db.transaction().execute(async (trx) => {
      if (!(await auditRepository.trySealLock(trx))) return 0;
      const queued = await auditRepository.takeQueued(trx, this.batchSize);
      if (queued.length === 0) return 0;
      let head = (await auditRepository.chainHead(trx)) ?? { seq: 0, hash: GENESIS_HASH };
      const links = queued.map(({ seq, row_hash }) => {
        if (!row_hash) throw new Error(`audit row ${seq} is queued for sealing but has no row_hash`);
        const fields = { chain_seq: head.seq + 1, audit_seq: seq, row_hash, prev_hash: head.hash };
        const link = { chain_seq: fields.chain_seq, audit_seq: seq, prev_hash: head.hash, hash: sealHash(fields) };
        head = { seq: link.chain_seq, hash: link.hash };
        return link;
      });
      await auditRepository.appendSeals(trx, links);
      return links.length;
    });
  }

  /** Seals until the queue is empty (or another sealer holds the lock); the number of rows this call sealed. */
  async sealAll(): Promise<number> {
    let total = 0;
    for (;;) {
      const n = await this.sealBatch();
      total += n;
      if (n < this.batchSize) return total;
    }
  }

  /** Runs the sealer in this process until `stop`: a round every `intervalMs`, each draining the queue. */
  start(): void {
    if (!this.stopped) return;
    this.stopped = false;
    const round = () => {
      this.timer = null;
      this.running = this.sealAll()
        .then(() => undefined)
        .catch((error: unknown) => this.o.log?.error({ err: { message: error instanceof Error ? error.message : String(error) } }, 'audit sealing failed; retrying'))
        .finally(() => {
          this.running = null;
          if (!this.stopped) this.timer = setTimeout(round, this.intervalMs);
        });
    };
    this.timer = setTimeout(round, 0);
  }

  /** Stops the loop, waits for a round in flight, and seals what is queued once more (best effort). */
  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    await this.running;
    await this.sealAll().catch((error: unknown) => this.o.log?.error({ err: { message: error instanceof Error ? error.message : String(error) } }, 'final audit sealing failed'));
  }
}
