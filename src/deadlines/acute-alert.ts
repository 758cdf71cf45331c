import type { DeliveryChannel, NewDeadline } from '../../db/schema';
import type { Executor } from '../../db/executor';
import { deadlineRepository as repo } from './deadline.repository';

/**
 * Acute unsafety registered or established: an alert of its own level (`acute`) for the team's teamleider, raised in
 * the transaction that opens the acute term, with its webhook and e-mail deliveries. The stream picks it up from the
 * table; the returned delivery ids are scheduled after the commit (the reconciler delivers any that were missed).
 */
export async function raiseAcuteAlerts(trx: Executor, o: { caseId: string; teamId: string; opened: NewDeadline[]; now: Date; newId: () => string }): Promise<string[]> {
  const acute = o.opened.filter((d) => d.kind === 'acuut');
  if (acute.length === 0) return [];
  const channels = await repo.channels(trx, o.teamId);
  const targets: Array<{ channel: DeliveryChannel; target: string }> = [];
  if (channels?.webhook_url) targets.push({ channel: 'webhook', target: channels.webhook_url });
  if (channels?.email) targets.push({ channel: 'email', target: channels.email });
  const deliveries: string[] = [];
  for (const d of acute) {
    const alert = await repo.insertAlert(trx, {
      id: o.newId(),
      deadline_id: d.id,
      case_id: o.caseId,
      plan_item_id: null,
      team_id: o.teamId,
      level: 'acute',
      deadline_kind: d.kind,
      due_at: d.due_at as Date,
      created_at: o.now,
      escalate_at: null,
      acknowledged_at: null,
      acknowledged_by: null,
    });
    if (!alert) continue;
    deliveries.push(...(await repo.insertDeliveries(trx, targets.map((t) => ({ id: o.newId(), alert_id: alert.id, ...t, at: o.now })))));
  }
  return deliveries;
}
