import type { AlertRow } from '../../db/schema';

const LEVEL_LABEL = { warning: 'Waarschuwing: termijn verloopt bijna', breach: 'Termijn overschreden', escalation: 'Escalatie: overschrijding niet opgepakt', acute: 'Acute onveiligheid: direct handelen' } as const;

/** What leaves the system about an alert: ids, kinds and times only. Never a name, BSN or free text. */
export function alertMessage(alert: AlertRow, publicBaseUrl: string) {
  return {
    alertId: alert.id,
    level: alert.level,
    title: LEVEL_LABEL[alert.level],
    caseId: alert.case_id,
    deadlineKind: alert.deadline_kind,
    dueAt: alert.due_at.toISOString(),
    teamId: alert.team_id,
    createdAt: alert.created_at.toISOString(),
    // Only on alerts of the improvement plan or certification track (caseId is then null): case alerts keep their shape.
    ...(alert.plan_item_id ? { planItemId: alert.plan_item_id } : {}),
    link: `${publicBaseUrl.replace(/\/$/, '')}${alert.case_id ? `/cases/${alert.case_id}` : `/quality/plan/${alert.plan_item_id ?? ''}`}`,
  };
}
export type AlertMessage = ReturnType<typeof alertMessage>;
