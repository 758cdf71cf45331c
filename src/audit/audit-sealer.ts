import type { Database } from '../../db/database';
import { GENESIS_HASH, sealHash } from './audit-chain';
import { auditRepository, type Seal } from './audit.repository';

/** Rows sealed per transaction (four parameters a row). */
const SEAL_BATCH = 5_000;

/**
 * Chains unsealed audit rows in batches: under the seal lock (one sealer across every process), it reads the head,
 * gives the oldest unsealed rows the next chain places in insertion order, and writes their hashes in one statement.
 * A row committed late (its transaction ran long) is sealed in a later batch at a later place: the chain's order is
 * the order of sealing, and every row gets exactly one place.
 */
export class AuditSealer {
  private running: Promise<number> | null = null;
  private timer: NodeJS.Timeout | null = null;
  private activeUntil = 0;
  private closed = false;

  constructor(private readonly o: { db: Database; delayMs?: number; idleMs?: number; log?: { warn(obj: object, msg: string): void } }) {}

  /** Seals one batch; 0 when nothing was unsealed or another sealer holds the lock. */
  async sealBatch(): Promise<number> {
    return this.o.db.transaction().execute(async (trx) => {
      if (!(await auditRepository.trySealLock(trx))) return 0;
      const rows = await auditRepository.unsealed(trx, SEAL_BATCH);
      if (rows.length === 0) return 0;
      let prev = await auditRepository.head(trx);
      const seals: Seal[] = rows.map((r) => {
        const chainSeq = (prev?.seq ?? 0) + 1;
        const prevHash = prev?.hash ?? GENESIS_HASH;
        // The stored row hash, not one recomputed here: a row changed before sealing stays detectably changed.
        const hash = sealHash(chainSeq, prevHash, r.row_hash ?? '');
        prev = { seq: chainSeq, hash };
        return { seq: r.seq, chainSeq, prevHash, hash };
      });
      const sealed = await auditRepository.seal(trx, seals);
      if (sealed !== seals.length) throw new Error(`audit sealer: sealed ${sealed} of ${seals.length} rows (another writer sealed concurrently)`);
      return sealed;
    });
  }

  /** Seals everything committed so far (waits for a sealer running in this process first). */
  async sealAll(): Promise<number> {
    if (this.running) await this.running.catch(() => 0);
    let total = 0;
    for (;;) {
      const n = await this.sealBatch();
      total += n;
      if (n < SEAL_BATCH) return total;
    }
  }

  /**
   * A row was written (or is about to be committed): seal soon, and keep sealing every `delayMs` for `idleMs` after
   * the last poke, so rows of transactions that commit after the first attempt are sealed too.
   */
  poke(): void {
    if (this.closed) return;
    this.activeUntil = Date.now() + (this.o.idleMs ?? 5_000);
    this.schedule();
  }

  private schedule(): void {
    if (this.timer || this.running) return;
    this.timer = setTimeout(() => {
      this.timer = null;
      this.running = this.sealAll();
      void this.running
        .catch((error: unknown) => {
          this.o.log?.warn({ err: error }, 'audit sealer: batch failed; retrying');
          return 0;
        })
        .then(() => {
          this.running = null;
          if (Date.now() < this.activeUntil) this.schedule();
        });
    }, this.o.delayMs ?? 20);
    this.timer.unref();
  }

  /**
   * Stops sealing in the background (`sealAll` still works); rows left unsealed are sealed by the next sealer anywhere,
   * and `audit:verify` reports them meanwhile.
   */
  async close(): Promise<void> {
    this.closed = true;
    this.activeUntil = 0;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    await this.running?.catch(() => 0);
  }
}
