import { getNextTransitions, initialTransition, transition } from 'xstate';
import { meldingCommandSchemas, MELDING_EVENT_TYPES, type MeldingEvent, type MeldingEventType } from './melding.events';
import { createMeldingMachine, FINAL_STATES, MELDING_MACHINE_ID, MELDING_MACHINE_VERSION, type MeldingMachine, type MeldingState } from './melding.machine';
import { eventReasons, type MeldingRuleSettings } from './melding.rules';
import type { Actor, MeldingContext, MeldingInput, Proposal, Reason } from './melding.types';

/** The form a melding's machine state is stored in: tagged with machine id and version so old cases can be migrated. */
export interface PersistedMelding {
  machine: typeof MELDING_MACHINE_ID;
  version: number;
  state: MeldingState;
  context: MeldingContext;
}

export type StepResult =
  | { ok: true; next: PersistedMelding }
  | { ok: false; code: 'EVENT_NOT_ALLOWED' | 'GUARD_BLOCKED'; reasons: Reason[] };

export interface AvailableEvents {
  allowed: MeldingEventType[];
  blocked: Array<{ type: MeldingEventType; reasons: Reason[] }>;
}

/** Rules of these events read only the case and the actor, so they can be checked before staff fill in a payload. */
const PAYLOAD_FREE = new Set<MeldingEventType>(['ACUTE_ACTION_STARTED', 'ACUTE_UNSAFETY_ESTABLISHED', 'DECISION_APPROVED', 'ONDERZOEK_CONCLUSION_APPROVED', 'CLOSURE_PROPOSED', 'CLOSURE_APPROVED']);

/**
 * Migrates a stored snapshot to the current machine version. Version 1 is the first; a later version adds a
 * `case` per step (1 → 2, 2 → 3 …), so any stored case can be brought forward one step at a time.
 */
export function migrateSnapshot(stored: PersistedMelding): PersistedMelding {
  if (stored.machine !== MELDING_MACHINE_ID) throw new Error(`not a melding snapshot: machine '${String(stored.machine)}'`);
  if (stored.version > MELDING_MACHINE_VERSION) {
    throw new Error(`melding snapshot version ${stored.version} is newer than this engine (${MELDING_MACHINE_VERSION})`);
  }
  let current = stored;
  while (current.version < MELDING_MACHINE_VERSION) current = migrateOneVersion(current);
  return current;
}

/** One step forward: version n → n + 1. */
function migrateOneVersion(stored: PersistedMelding): PersistedMelding {
  switch (stored.version) {
    case 1:
      // Version 2 adds wacht_op_onderzoek before onderzoek. Under version 1 an onderzoek started at its decision
      // (and `onderzoekStartedAt` says so), so every version-1 state and context is valid as it stands.
      return { ...stored, version: 2 };
    case 2:
      return migrateV2ToV3(stored);
    case 3:
      // Version 4 records per person the information given at first contact (art. 4.1.8), the vertrouwenspersoon made
      // known (art. 4.2.4) and the safety assessed per member of the household. A version-3 case recorded none of them.
      return { ...stored, version: 4, context: { ...stored.context, firstContactInformation: {}, vertrouwenspersoonInformation: {}, memberSafety: {} } };
    case 4:
      return migrateV4ToV5(stored);
    case 5:
      return migrateV5ToV6(stored);
    default:
      throw new Error(`no migration from melding machine version ${stored.version}`);
  }
}

/**
 * Version 3 counts acute unsafety established after receipt (`acuteCount`, `acuteEstablishedAt`), and tells a named chain partner and an involved network apart from a recorded reason (a reason is a
 * justified exception, never "met"). A version-2 record did not say which it was: it carries over as unknown
 * (`null`), which the quality figures count as justified, never as met.
 */
function migrateV2ToV3(stored: PersistedMelding): PersistedMelding {
  const v2 = stored.context as Omit<MeldingContext, 'chainPartners' | 'informalNetworkInvolved' | 'acuteCount' | 'acuteEstablishedAt' | 'firstContactInformation' | 'vertrouwenspersoonInformation' | 'memberSafety'> & {
    chainPartners: Record<string, { at: string }>;
  };
  const chainPartners = Object.fromEntries(Object.entries(v2.chainPartners).map(([id, c]) => [id, { at: c.at, partner: null }]));
  // Under version 2 acute unsafety existed only at receipt.
  const acute = { acuteCount: v2.acuteDanger ? 1 : 0, acuteEstablishedAt: v2.acuteDanger ? v2.receivedAt : null };
  // The version-3 shape: the step to version 4 adds the per-person duties, the step to 5 the rounds.
  const v3 = { ...v2, chainPartners, informalNetworkInvolved: null, ...acute } as unknown as MeldingContext;
  return { ...stored, version: 3, context: v3 };
}

type V4Context = Omit<MeldingContext, 'round' | 'roundStartedAt' | 'onderzoekRound' | 'planVanAanpak' | 'safetyPlanRound' | 'informalNetworkRound' | 'childContacts' | 'chainPartners'> & {
  childContacts: Record<string, Omit<MeldingContext['childContacts'][string], 'round'>>;
  chainPartners: Record<string, { at: string; partner: boolean | null }>;
};

/** States a case reaches after a handover and monitoring only by returning from monitoring. */
const BEFORE_HANDOVER = new Set<string>(['veiligheidsbeoordeling', 'besluit_ter_goedkeuring', 'wacht_op_onderzoek', 'onderzoek', 'conclusie_ter_goedkeuring']);

/**
 * Version 5 counts rounds: a herbeoordeling, a return from monitoring or a second onderzoek starts a new one, and
 * facts belong to the round they were recorded in. Versions 3 and 4 kept no rounds; they are reconstructed from the
 * monitoring contacts: a contact that was not positive cannot continue monitoring, so each one was a return; a
 * positive last contact followed by a state before handover was one too. Each fact goes to the round in which it was
 * recorded (by its moment). An onderzoek before version 5 has no plan van aanpak recorded.
 */
function migrateV4ToV5(stored: PersistedMelding): PersistedMelding {
  const v4 = stored.context as unknown as V4Context;
  const held = v4.monitoringContacts.filter((c) => c.heldAt !== null).sort((a, b) => (a.heldAt! < b.heldAt! ? -1 : 1));
  const returns = held.filter((c) => c.positive === false).map((c) => c.heldAt!);
  const last = held[held.length - 1];
  if (last?.positive === true && v4.handover !== null && BEFORE_HANDOVER.has(stored.state)) returns.push(last.heldAt!);
  const roundOf = (at: string | null) => (at === null ? null : 1 + returns.filter((r) => r <= at).length);
  const round = 1 + returns.length;
  const childContacts = Object.fromEntries(Object.entries(v4.childContacts).map(([id, c]) => [id, { ...c, round: roundOf(c.at)! }]));
  const chainPartners = Object.fromEntries(Object.entries(v4.chainPartners).map(([id, c]) => [id, { ...c, round: roundOf(c.at)! }]));
  const inOnderzoek = stored.state === 'wacht_op_onderzoek' || stored.state === 'onderzoek' || stored.state === 'conclusie_ter_goedkeuring';
  const onderzoekRound = inOnderzoek ? round : v4.onderzoekCount > 0 ? roundOf(v4.onderzoekStartedAt ?? v4.receivedAt) : null;
  const context: MeldingContext = {
    ...v4,
    childContacts,
    chainPartners,
    safetyPlanRound: roundOf(v4.safetyPlanAt),
    informalNetworkRound: roundOf(v4.informalNetworkAt),
    round,
    roundStartedAt: returns[returns.length - 1] ?? v4.receivedAt,
    onderzoekRound,
    planVanAanpak: null,
  };
  return { ...stored, version: 5, context };
}

/**
 * Version 6 records the outcome of an onderzoek per type of violence (art. 4.3.2 h). A version-5 conclusion recorded
 * none: the last concluded onderzoek carries over without outcomes (null), and a conclusion still waiting for
 * approval carries over without them too, which its approval refuses (ONDERZOEK_OUTCOMES_MISSING): it is rejected and
 * proposed again with an outcome per type.
 */
function migrateV5ToV6(stored: PersistedMelding): PersistedMelding {
  const v5 = stored.context as Omit<MeldingContext, 'onderzoekOutcomes' | 'proposal'> & { proposal: Omit<Proposal, 'outcomes'> | null };
  const proposal = v5.proposal === null ? null : { ...v5.proposal, outcomes: null };
  return { ...stored, version: 6, context: { ...v5, proposal, onderzoekOutcomes: null } };
}

export function isFinalState(state: MeldingState): boolean {
  return (FINAL_STATES as readonly string[]).includes(state);
}

/** Steps meldingen with xstate's pure `transition()`: no actors, no timers, nothing but data in and data out. */
export class MeldingWorkflow {
  readonly machine: MeldingMachine;

  constructor(readonly settings: MeldingRuleSettings) {
    this.machine = createMeldingMachine(settings);
  }

  start(input: MeldingInput): PersistedMelding {
    const [snapshot] = initialTransition(this.machine, input);
    return this.persist(snapshot.value, snapshot.context);
  }

  step(stored: PersistedMelding, event: MeldingEvent): StepResult {
    const current = migrateSnapshot(stored);
    const snapshot = this.restore(current);
    if (!this.handles(snapshot, event.type)) {
      return { ok: false, code: 'EVENT_NOT_ALLOWED', reasons: [{ code: 'EVENT_NOT_ALLOWED', message: `${event.type} is not allowed in state ${current.state}` }] };
    }
    const reasons = eventReasons(current.state, current.context, event, this.settings);
    if (reasons.length > 0) return { ok: false, code: 'GUARD_BLOCKED', reasons };
    const [next] = transition(this.machine, snapshot, event);
    if (next.value === snapshot.value && next.context === snapshot.context) {
      // Every accepted event records something; an unchanged snapshot means no transition was taken.
      return { ok: false, code: 'GUARD_BLOCKED', reasons: [{ code: 'NO_TRANSITION', message: `${event.type} changed nothing in state ${current.state}` }] };
    }
    return { ok: true, next: this.persist(next.value, next.context) };
  }

  /** What the actor may send now, and what is blocked with the reasons. */
  available(stored: PersistedMelding, actor: Actor, at: string): AvailableEvents {
    const current = migrateSnapshot(stored);
    const snapshot = this.restore(current);
    const result: AvailableEvents = { allowed: [], blocked: [] };
    for (const type of MELDING_EVENT_TYPES) {
      if (!this.handles(snapshot, type)) continue;
      const reasons = PAYLOAD_FREE.has(type)
        ? eventReasons(current.state, current.context, { type, at, actor, eventId: '' } as MeldingEvent, this.settings)
        : [];
      if (reasons.length === 0) result.allowed.push(type);
      else result.blocked.push({ type, reasons });
    }
    return result;
  }

  /** JSON Schemas of the payloads, for the transitions listing. */
  static payloadSchema(type: MeldingEventType) {
    return meldingCommandSchemas[type];
  }

  private handles(snapshot: ReturnType<MeldingMachine['resolveState']>, type: MeldingEventType): boolean {
    if (snapshot.status !== 'active') return false;
    return getNextTransitions(snapshot).some((t) => t.eventType === type);
  }

  private restore(stored: PersistedMelding) {
    return this.machine.resolveState({ value: stored.state, context: stored.context });
  }

  private persist(state: MeldingState, context: MeldingContext): PersistedMelding {
    return { machine: MELDING_MACHINE_ID, version: MELDING_MACHINE_VERSION, state, context };
  }
}
