import { z } from 'zod';
import { DECISION_CODES } from '../../workflows/reference/categories';
import { caseHistoryEventTypeSchema } from '../../workflows/melding/case-history-events';
import { CONCLUSION_FOLLOW_UPS, PROPOSAL_KINDS } from '../../workflows/melding/melding.types';
import type { WorkspaceService } from '../workspace/workspace.service';
import { describes } from './exact-schema';

/**
 * Exact response schemas of the views the dashboard and integrators read (a case, a list row, the history, an
 * alert, the transitions, the melder). Fastify serialises every answer through them, and the dashboard's
 * types are generated from the document they make (web/src/api/schema.gen.ts): a field renamed here fails the
 * dashboard's typecheck, a field the service adds without a schema change does not reach clients.
 */
export const instant = z.iso.datetime().describe('ISO 8601 instant in UTC with milliseconds');
/** A local calendar day as the API answers it (a `date` column). */
export const day = z.iso.date().describe('YYYY-MM-DD (a day on the Dutch calendar)');
const timeLeft = z
  .object({ werkdagenLeft: z.number().int().describe('Werkdagen left; negative: werkdagen past due'), overdue: z.boolean() })
  .meta({ id: 'TimeLeft' });
const reportKind = z.enum(['eerste', 'hermelding', 'vervolgmelding']);
export const deadlineStatus = z.enum(['open', 'met', 'breached', 'cancelled']);
export const alertLevel = z.enum(['warning', 'breach', 'escalation', 'acute']);

export const deadlineViewSchema = z
  .object({
    id: z.uuid(),
    kind: z.string(),
    key: z.string(),
    rule: z.string(),
    status: deadlineStatus,
    openedAt: instant,
    dueAt: instant,
    originalDueAt: instant,
    warnAt: instant,
    warnedAt: instant.nullable(),
    breachedAt: instant.nullable(),
    metAt: instant.nullable(),
    cancelledAt: instant.nullable(),
    timeLeft: timeLeft.nullable().describe('For open and breached terms, on the Awt calendar'),
  })
  .meta({ id: 'Deadline' });

/** A proposal awaiting the second professional (four eyes). */
const proposalSchema = z
  .object({ kind: z.enum(PROPOSAL_KINDS), by: z.string(), at: z.string(), decisionCode: z.enum(DECISION_CODES).nullable(), followUp: z.enum(CONCLUSION_FOLLOW_UPS).nullable() })
  .meta({ id: 'Proposal' });

export const caseViewSchema = z
  .object({
    id: z.uuid(),
    state: z.string(),
    version: z.number().int().min(1),
    teamId: z.string(),
    gemeente: z.string(),
    receivedAt: instant,
    registeredAt: instant,
    registeredBy: z.string(),
    ageWerkdagen: z.number().int().describe('Werkdagen since receipt'),
    acuteDanger: z.boolean(),
    violenceTypes: z.array(z.string()),
    reReport: z.boolean(),
    reportKind,
    linkedCaseId: z.uuid().nullable(),
    safety: z.string().nullable(),
    decisionCode: z.string().nullable(),
    summary: z.string(),
    melder: z
      .object({ professional: z.boolean(), sector: z.string().nullable(), anonymous: z.boolean(), shielded: z.boolean(), name: z.string().nullable(), contact: z.string().nullable() })
      .nullable(),
    persons: z.array(
      z.object({
        id: z.uuid(),
        ordinal: z.number().int(),
        role: z.string(),
        name: z.string(),
        birthDate: day.nullable(),
        bsn: z.string().nullable(),
        vulnerabilities: z.array(z.string()),
        childContact: z.object({ seen: z.boolean(), spoken: z.boolean(), reasonNotSeen: z.boolean(), reasonNotSpoken: z.boolean(), at: z.string() }).nullable(),
        chainPartnerRecorded: z.boolean(),
        firstContactInformation: z.object({ at: z.string(), given: z.boolean() }).nullable().describe('art. 4.1.8: informed at the first contact (given), or a reason why not (given false); null: nothing recorded'),
        vertrouwenspersoonInformation: z.object({ at: z.string(), given: z.boolean() }).nullable().describe('art. 4.2.4: told about the vertrouwenspersoon, or a reason why not; null: nothing recorded'),
        householdMember: z.boolean().describe('a member of the household (by role), whose safety the veiligheidsbeoordeling assesses'),
        memberSafety: z.object({ at: z.string(), safety: z.string().nullable() }).nullable().describe('the safety as last assessed (safety null: a reason why it could not be); null: not assessed'),
      }),
    ),
    safetyPlanRecorded: z.boolean(),
    informalNetworkRecorded: z.boolean(),
    pendingProposal: proposalSchema.nullable(),
    monitoringContacts: z.array(z.object({ id: z.string(), plannedFor: z.string(), heldAt: z.string().nullable(), positive: z.boolean().nullable() })),
    deadlines: z.array(deadlineViewSchema),
    nextDueAt: instant.nullable(),
    closedAt: instant.nullable(),
    vervolgmeldingen: z.array(z.object({ caseId: z.uuid(), receivedAt: instant })),
  })
  .meta({ id: 'Case', description: 'A case with its persons and deadlines' });

export const caseSummarySchema = z
  .object({
    id: z.uuid(),
    state: z.string(),
    version: z.number().int(),
    teamId: z.string(),
    gemeente: z.string(),
    receivedAt: instant,
    acuteDanger: z.boolean(),
    violenceTypes: z.array(z.string()),
    safety: z.string().nullable(),
    nextDueAt: instant.nullable(),
    nextDueTimeLeft: timeLeft.nullable(),
    closedAt: instant.nullable(),
  })
  .meta({ id: 'CaseSummary', description: 'A list row: no names, no free text' });

export const historyEntrySchema = z
  .object({
    id: z.uuid(),
    seq: z.number().int(),
    type: caseHistoryEventTypeSchema,
    actor: z.object({ id: z.string(), role: z.string() }),
    at: instant,
    fromState: z.string().nullable(),
    toState: z.string(),
    payload: z.record(z.string(), z.unknown()).describe("The event's payload (per type: see the transitions' payloadSchema)"),
  })
  .meta({ id: 'HistoryEntry' });

export const alertSchema = z
  .object({
    alertId: z.uuid(),
    seq: z.number().int(),
    level: alertLevel,
    title: z.string(),
    caseId: z.uuid().nullable().describe('null for an alert on a quality-plan item (then planItemId)'),
    planItemId: z.uuid().optional(),
    deadlineKind: z.string(),
    dueAt: instant,
    teamId: z.string(),
    createdAt: instant,
    link: z.string(),
    escalateAt: instant.nullable(),
    acknowledgedAt: instant.nullable(),
    acknowledgedBy: z.string().nullable(),
  })
  .meta({ id: 'Alert' });

export const transitionsSchema = z
  .object({
    state: z.string(),
    version: z.number().int(),
    allowed: z.array(z.object({ type: z.string(), payloadSchema: z.record(z.string(), z.unknown()).describe("The payload's JSON Schema (draft 2020-12)") })),
    blocked: z.array(z.object({ type: z.string(), reasons: z.array(z.object({ code: z.string(), message: z.string() })) })),
  })
  .meta({ id: 'Transitions', description: 'Events allowed now (with payload schemas) and blocked ones (with reasons)' });

export const melderSchema = z
  .object({ caseId: z.uuid(), professional: z.boolean(), sector: z.string().nullable(), anonymous: z.boolean(), shielded: z.boolean(), name: z.string().nullable(), contact: z.string().nullable() })
  .meta({ id: 'Melder' });


/** One case in the workspace: its list row, what it waits for, the proposal on it and whether you may approve it. */
const workspaceItemSchema = caseSummarySchema
  .extend({
    waitsFor: z.array(z.object({ code: z.string(), message: z.string() })).describe('What the case waits for now, nearest first'),
    proposal: proposalSchema.nullable(),
    mayApprove: z.boolean().describe('You may approve its proposal as the second professional'),
  })
  .meta({ id: 'WorkspaceItem' });

export const workspaceSchema = describes<Awaited<ReturnType<WorkspaceService['forPrincipal']>>>()(
  z
    .object({
      mine: z.array(workspaceItemSchema).describe('Open cases you registered or sent an event on'),
      unassigned: z.array(workspaceItemSchema).describe("Your teams' open cases nobody has sent an event on since registration"),
      approvals: z.array(workspaceItemSchema).describe('Cases whose proposal you may approve'),
      truncated: z.boolean().describe('More open cases than the workspace looks at (500, nearest term first)'),
    })
    .meta({ id: 'Workspace' }),
);
