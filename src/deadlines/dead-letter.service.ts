import type { Database } from '../../db/database';
import { authorize } from '../auth/permissions';
import type { Principal } from '../auth/principal';
import { deadlineRepository as repo } from './deadline.repository';

/** Notifications given up after their last attempt (`GET /v1/admin/dead-letters`): ids, channels and errors only. */
export class DeadLetterService {
  constructor(private readonly o: { db: Database }) {}

  async list(p: Principal, limit: number) {
    authorize(p, 'dead-letters.read');
    const rows = await repo.deadDeliveries(this.o.db, limit);
    return rows.map((d) => ({ id: d.id, alertId: d.alert_id, channel: d.channel, target: d.target, attempts: d.attempts, lastError: d.last_error, updatedAt: d.updated_at.toISOString() }));
  }
}
