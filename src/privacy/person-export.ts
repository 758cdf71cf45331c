import { z } from 'zod';
import type { AuditLogRow, CaseEventRow, CaseRow, PersonRow } from '../../db/schema';

/**
 * What a person may see of what the engine holds about them (AVG art. 15), and what it leaves out. Built from rows,
 * no I/O. The rule: the person's own record, the facts of the case they are on, the events that name them with the
 * fields about them, and the accesses to their dossier; never other persons, the melder, or free text written about
 * the household as a whole (it cannot be attributed to one person; art. 15(4): the rights of others).
 */

/** Per event type that can name a person: the payload fields that are about that person. Anything else: type and time only. */
const PERSONAL_FIELDS: Record<string, readonly string[]> = {
  MELDING_REGISTERED: ['gemeente', 'violenceTypes', 'acuteDanger'],
  PERSON_ADDED: ['role'],
  CHILD_CONTACT_RECORDED: ['contactDate', 'seen', 'spoken', 'reasonNotSeen', 'reasonNotSpoken'],
  CHAIN_PARTNER_RECORDED: ['partner', 'reasonNone'],
  FIRST_CONTACT_INFORMATION_RECORDED: ['givenOn', 'reasonNotGiven'],
  VERTROUWENSPERSOON_INFORMATION_RECORDED: ['givenOn', 'reasonNotGiven'],
  MEMBER_SAFETY_ASSESSED: ['safety', 'reasonNotAssessed'],
};

export const EXPORT_FORMAT = 'vt-person-export-v1';

export const WITHHELD_CODES = ['other_persons', 'melder', 'summary', 'staff_identities', 'events'] as const;
export type WithheldCode = (typeof WITHHELD_CODES)[number];

/** What the engine holds about one person (AVG art. 15), as the API answers it; the type is this schema's. */
export const personExportSchema = z
  .object({
    format: z.literal(EXPORT_FORMAT),
    generatedAt: z.iso.datetime(),
    person: z.object({
      id: z.uuid(),
      role: z.string(),
      name: z.string(),
      birthDate: z.iso.date().nullable(),
      bsn: z.string().nullable(),
      vulnerabilities: z.array(z.string()),
      registeredAt: z.iso.datetime(),
    }),
    case: z.object({
      id: z.uuid(),
      gemeente: z.string(),
      teamId: z.string(),
      receivedAt: z.iso.datetime(),
      state: z.string(),
      violenceTypes: z.array(z.string()),
      acuteDanger: z.boolean(),
      safety: z.string().nullable(),
      decisionCode: z.string().nullable(),
      closedAt: z.iso.datetime().nullable(),
    }),
    events: z.array(z.object({ seq: z.number().int(), type: z.string(), at: z.iso.datetime(), actorRole: z.string(), details: z.record(z.string(), z.unknown()) })),
    otherCaseIds: z.array(z.uuid()),
    accesses: z.array(z.object({ at: z.iso.datetime(), actorRole: z.string(), action: z.string(), breakGlass: z.boolean() })),
    /** What is left out and why; `code` is stable (the PDF renders it in Dutch), `eventType` for left-out events. */
    withheld: z.array(z.object({ code: z.enum(WITHHELD_CODES), eventType: z.string().optional(), what: z.string(), count: z.number().int().optional(), why: z.string() })),
  })
  .meta({ id: 'PersonExport', description: "What the engine holds about one person, without others' data" });
export type PersonExport = z.infer<typeof personExportSchema>;

export function buildPersonExport(input: {
  now: Date;
  case: CaseRow;
  person: PersonRow;
  events: CaseEventRow[];
  otherEventCounts: Array<{ type: string; n: number }>;
  otherCaseIds: string[];
  accesses: AuditLogRow[];
}): PersonExport {
  const { case: c, person: p } = input;
  const withheld: PersonExport['withheld'] = [
    { code: 'other_persons', what: 'the other persons on the case', why: 'their personal data are not yours to receive (AVG art. 15(4))' },
    { code: 'melder', what: 'the melder (who reported)', why: 'the identity of whoever reported is protected (AVG art. 15(4)); a shielded melder was promised it' },
    { code: 'summary', what: 'the summary of the melding', why: 'free text about the household as a whole: it cannot be attributed to you alone; ask for a reviewed copy' },
    { code: 'staff_identities', what: 'the names of staff who read or changed the dossier', why: 'log data identify staff, not you; their roles and the times are given (CJEU C-579/21)' },
    ...input.otherEventCounts.map((e) => ({ code: 'events' as const, eventType: e.type, what: `${e.type} events that do not name you`, count: e.n, why: 'they concern the case as a whole or others; free text in them cannot be attributed to you alone' })),
  ];
  return {
    format: EXPORT_FORMAT,
    generatedAt: input.now.toISOString(),
    person: {
      id: p.id,
      role: p.role,
      name: p.name,
      birthDate: p.birth_date,
      bsn: p.bsn,
      vulnerabilities: p.vulnerabilities,
      registeredAt: p.created_at.toISOString(),
    },
    case: {
      id: c.id,
      gemeente: c.gemeente,
      teamId: c.team_id,
      receivedAt: c.received_at.toISOString(),
      state: c.state,
      violenceTypes: c.violence_types,
      acuteDanger: c.acute_danger,
      safety: c.safety,
      decisionCode: c.decision_code,
      closedAt: c.closed_at?.toISOString() ?? null,
    },
    events: input.events.map((e) => ({ seq: e.seq, type: e.type, at: e.at.toISOString(), actorRole: e.actor_role, details: pick(e.payload, PERSONAL_FIELDS[e.type] ?? []) })),
    otherCaseIds: input.otherCaseIds,
    accesses: input.accesses.map((a) => ({ at: a.at.toISOString(), actorRole: a.actor_role, action: a.action, breakGlass: a.break_glass })),
    withheld,
  };
}

function pick(payload: Record<string, unknown>, fields: readonly string[]): Record<string, unknown> {
  return Object.fromEntries(fields.filter((f) => payload[f] !== undefined).map((f) => [f, payload[f]]));
}
