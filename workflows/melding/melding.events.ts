import { z } from 'zod';
import { bsnSchema, decisionCodeSchema, onderzoekOutcomeSchema, personRoleSchema, safetyOutcomeSchema, violenceTypeSchema, vulnerabilitySchema } from '../reference';
import { boundedDateSchema } from '../reference/date-bounds';
import { singleLine } from '../reference/text-rules';
import type { Actor, CasePerson } from './melding.types';

const text = (max: number) => z.string().trim().min(1, 'must not be empty').max(max, `must be at most ${max} characters`);
/** Names and who-fields: one line. */
const line = (max: number) => singleLine(text(max));
export const localDateSchema = z.iso
  .date({ message: 'must be a date in the form YYYY-MM-DD' })
  .refine((d) => d >= '1900-01-01' && d <= '2199-12-31', 'must lie between 1900-01-01 and 2199-12-31');

/** A person as staff enter them. Name and BSN go to the persons table; only role, birth date and vulnerability reach the machine. */
export const personInputSchema = z
  .object({
    role: personRoleSchema,
    name: line(200),
    birthDate: localDateSchema.optional(),
    bsn: bsnSchema.optional(),
    /** As the BRP records it; delivered to CBS (Uitvoeringsbesluit Wmo 2015 art. 4.3.2 b). */
    sex: z.enum(['man', 'vrouw', 'onbekend']).optional(),
    vulnerabilities: z.array(vulnerabilitySchema).max(10).default([]),
  })
  .strict();
export type PersonInput = z.infer<typeof personInputSchema>;

/** What a monitoring contact established: yes, no, or that it could not be established ('unknown'). */
const checkAnswer = z.union([z.boolean(), z.literal('unknown')], { message: "must be true, false or 'unknown'" });
export type CheckAnswer = z.infer<typeof checkAnswer>;

/** A contact is positive only when it established that the steps were taken, the violence stopped and safety returned. */
export function contactPositive(e: { stepsCarriedOut: CheckAnswer; violenceStopped: CheckAnswer; safetyRestored: CheckAnswer }): boolean {
  return e.stepsCarriedOut === true && e.violenceStopped === true && e.safetyRestored === true;
}

const oneOf = <T extends Record<string, unknown>>(a: keyof T & string, b: keyof T & string) =>
  (value: T, ctx: z.core.$RefinementCtx<T>) => {
    const hasA = value[a] !== undefined;
    const hasB = value[b] !== undefined;
    if (hasA === hasB) ctx.addIssue({ code: 'custom', path: [a], message: `give exactly one of '${a}' and '${b}'` });
  };

/** Disciplines a multidisciplinary plan van aanpak names (and a token's `discipline` claim may carry). */
export const DISCIPLINES = ['gedragswetenschapper', 'arts', 'jurist', 'maatschappelijk_werker', 'aandachtsfunctionaris', 'teamleider'] as const;
export type Discipline = (typeof DISCIPLINES)[number];

/** Facts that belong to a round and can be confirmed to still hold in a later one. */
export const ROUND_FACTS = ['child_contact', 'safety_plan', 'informal_network', 'chain_partner'] as const;
export type RoundFactKind = (typeof ROUND_FACTS)[number];

/**
 * The plan van aanpak an onderzoek starts with (inspection expectation 7: "intercollegiaal of multidisciplinair"):
 * drawn up by the case worker and approved by a second professional, or drawn up with named disciplines.
 */
export const planVanAanpakSchema = z
  .object({
    kind: z.enum(['intercollegiaal', 'multidisciplinair']),
    summary: text(20_000),
    /** Intercollegiaal: the user id of the second professional who approved the plan (not the case worker). */
    approvedBy: line(200).optional(),
    /** Multidisciplinair: the disciplines that drew it up. */
    disciplines: z.array(z.enum(DISCIPLINES)).max(DISCIPLINES.length).optional(),
  })
  .strict()
  .superRefine((p, ctx) => {
    if (p.kind === 'intercollegiaal' && p.approvedBy === undefined) ctx.addIssue({ code: 'custom', path: ['approvedBy'], message: 'an intercollegiaal plan names the second professional who approved it' });
    if (p.kind === 'intercollegiaal' && p.disciplines !== undefined) ctx.addIssue({ code: 'custom', path: ['disciplines'], message: 'disciplines belong to a multidisciplinair plan' });
    if (p.kind === 'multidisciplinair' && (p.disciplines === undefined || p.disciplines.length === 0)) ctx.addIssue({ code: 'custom', path: ['disciplines'], message: 'a multidisciplinair plan names at least one discipline' });
    if (p.kind === 'multidisciplinair' && p.approvedBy !== undefined) ctx.addIssue({ code: 'custom', path: ['approvedBy'], message: 'approvedBy belongs to an intercollegiaal plan' });
  });
export type PlanVanAanpakInput = z.infer<typeof planVanAanpakSchema>;

/**
 * Payloads of the commands staff send to `POST /v1/cases/:id/events`, one zod schema per event type. These are
 * the single source of the event types: the API validates with them and the machine's event union derives from them.
 */
export const meldingCommandSchemas = {
  NOTE_ADDED: z.object({ text: text(10_000) }).strict(),
  PERSON_ADDED: z.object({ person: personInputSchema }).strict(),
  ACUTE_ACTION_STARTED: z.object({ description: text(2_000) }).strict(),
  /** Acute unsafety found after receipt: at the assessment, during an onderzoek or in monitoring. */
  ACUTE_UNSAFETY_ESTABLISHED: z.object({ description: text(2_000) }).strict(),
  CHILD_CONTACT_RECORDED: z
    .object({
      personId: z.uuid(),
      contactDate: boundedDateSchema,
      seen: z.boolean(),
      spoken: z.boolean(),
      reasonNotSeen: text(2_000).optional(),
      reasonNotSpoken: text(2_000).optional(),
    })
    .strict(),
  SAFETY_PLAN_RECORDED: z.object({ summary: text(20_000) }).strict(),
  CHAIN_PARTNER_RECORDED: z
    .object({ personId: z.uuid(), partner: line(200).optional(), reasonNone: text(2_000).optional() })
    .strict()
    .superRefine(oneOf('partner', 'reasonNone')),
  INFORMAL_NETWORK_RECORDED: z
    .object({ involved: text(2_000).optional(), reasonNone: text(2_000).optional() })
    .strict()
    .superRefine(oneOf('involved', 'reasonNone')),
  /**
   * Uitvoeringsbesluit Wmo 2015 art. 4.1.8 lid 2: the person was told, at the first contact, about the procedure, the
   * processing of personal data, the right to inspect and copy their file, and the complaints procedure; or why not
   * (no contact possible, danger): a reason is a justified exception, never "given".
   */
  FIRST_CONTACT_INFORMATION_RECORDED: z
    .object({ personId: z.uuid(), givenOn: boundedDateSchema.optional(), reasonNotGiven: text(2_000).optional() })
    .strict()
    .superRefine(oneOf('givenOn', 'reasonNotGiven')),
  /** Art. 4.2.4: the person was told in time about the vertrouwenspersoon (what they do, where and when reachable); or why not. */
  VERTROUWENSPERSOON_INFORMATION_RECORDED: z
    .object({ personId: z.uuid(), givenOn: boundedDateSchema.optional(), reasonNotGiven: text(2_000).optional() })
    .strict()
    .superRefine(oneOf('givenOn', 'reasonNotGiven')),
  /** The safety of one member of the household, as the veiligheidsbeoordeling judged it; or why it could not be assessed. */
  MEMBER_SAFETY_ASSESSED: z
    .object({ personId: z.uuid(), safety: safetyOutcomeSchema.optional(), reasonNotAssessed: text(2_000).optional() })
    .strict()
    .superRefine(oneOf('safety', 'reasonNotAssessed')),
  MONITORING_CONTACT_PLANNED: z.object({ with: line(200), plannedFor: boundedDateSchema }).strict(),
  MONITORING_CONTACT_HELD: z
    .object({
      contactId: z.uuid(),
      stepsCarriedOut: checkAnswer,
      violenceStopped: checkAnswer,
      safetyRestored: checkAnswer,
      /** Why something could not be established at this contact (e.g. the family was not reachable). */
      reasonUnknown: text(2_000).optional(),
      followUp: z.enum(['doorgaan', 'herbeoordeling', 'onderzoek']),
      summary: text(10_000).optional(),
    })
    .strict(),
  MELDER_FEEDBACK_GIVEN: z.object({ moment: z.enum(['na_beoordeling', 'na_onderzoek']) }).strict(),
  DECISION_PROPOSED: z.object({ safety: safetyOutcomeSchema, code: decisionCodeSchema, rationale: text(20_000) }).strict(),
  DECISION_APPROVED: z.object({ comment: text(2_000).optional() }).strict(),
  DECISION_REJECTED: z.object({ reason: text(2_000) }).strict(),
  ONDERZOEK_STARTED: z
    .object({ planVanAanpak: planVanAanpakSchema.optional(), reasonNoPlan: text(2_000).optional(), comment: text(2_000).optional() })
    .strict()
    .superRefine(oneOf('planVanAanpak', 'reasonNoPlan')),
  /** An earlier round's fact still holds in this round (e.g. the safety plan is unchanged): recorded with the reason. */
  FACT_CONFIRMED_STILL_VALID: z
    .object({ fact: z.enum(ROUND_FACTS), personId: z.uuid().optional(), reason: text(2_000) })
    .strict()
    .superRefine((v, ctx) => {
      const perPerson = v.fact === 'child_contact' || v.fact === 'chain_partner';
      if (perPerson && v.personId === undefined) ctx.addIssue({ code: 'custom', path: ['personId'], message: `${v.fact} needs the personId it is about` });
      if (!perPerson && v.personId !== undefined) ctx.addIssue({ code: 'custom', path: ['personId'], message: `${v.fact} is about the case, not a person` });
    }),
  ONDERZOEK_CONCLUSION_PROPOSED: z
    .object({
      safety: safetyOutcomeSchema,
      followUp: z.enum(['overdracht', 'voorwaarden_en_vervolg', 'raad_voor_de_kinderbescherming', 'afsluiten']),
      /**
       * The outcome per type of violence (art. 4.3.2 h): exactly one for every type registered on the melding, and
       * none for another (the engine checks the keys against the case's types, `onderzoekOutcomeIssues`).
       */
      outcomes: z.partialRecord(violenceTypeSchema, onderzoekOutcomeSchema),
      conclusion: text(20_000),
    })
    .strict(),
  ONDERZOEK_CONCLUSION_APPROVED: z.object({ comment: text(2_000).optional() }).strict(),
  ONDERZOEK_CONCLUSION_REJECTED: z.object({ reason: text(2_000) }).strict(),
  HANDOVER_CONFIRMED: z.object({ confirmedBy: line(200) }).strict(),
  CLOSURE_PROPOSED: z.object({ rationale: text(20_000) }).strict(),
  CLOSURE_APPROVED: z.object({ comment: text(2_000).optional() }).strict(),
  CLOSURE_REJECTED: z.object({ reason: text(2_000) }).strict(),
} as const;

export type MeldingEventType = keyof typeof meldingCommandSchemas;
export const MELDING_EVENT_TYPES = Object.keys(meldingCommandSchemas) as MeldingEventType[];
export type MeldingCommandPayload<K extends MeldingEventType> = z.infer<(typeof meldingCommandSchemas)[K]>;

/** Added by the engine to every event: who, when, and a unique id (also the id of what the event creates). */
export interface EventMeta {
  eventId: string;
  at: string;
  actor: Actor;
}

/** What the machine receives: the command payload, except that a new person arrives as its machine view. */
type MachinePayload<K extends MeldingEventType> = K extends 'PERSON_ADDED' ? { person: CasePerson } : MeldingCommandPayload<K>;

export type MeldingEvent = { [K in MeldingEventType]: { type: K } & MachinePayload<K> & EventMeta }[MeldingEventType];
export type MeldingEventOf<K extends MeldingEventType> = Extract<MeldingEvent, { type: K }>;
