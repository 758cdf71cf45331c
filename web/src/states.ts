import type { OpenState } from '../../workflows/melding';

/** Every open state of the machine: a Record over the machine's OpenState union, so the type checker sees any missed. */
const OPEN: Record<OpenState, true> = {
  veiligheidsbeoordeling: true,
  besluit_ter_goedkeuring: true,
  wacht_op_onderzoek: true,
  onderzoek: true,
  conclusie_ter_goedkeuring: true,
  overdracht: true,
  monitoring: true,
  afronding: true,
  afsluiting_ter_goedkeuring: true,
};

export const OPEN_STATES = Object.keys(OPEN) as OpenState[];
