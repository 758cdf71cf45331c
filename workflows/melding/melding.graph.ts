import type { MeldingMachine } from './melding.machine';
import { MELDING_MACHINE_ID, MELDING_MACHINE_VERSION } from './melding.machine';

/** One transition of the machine as a graph edge; `internal` ones stay in their state (record-keeping). */
export interface MachineEdge {
  from: string;
  to: string;
  event: string;
  /** The guard's name, with its route parameter where it has one (e.g. `approvedTo:onderzoek`). */
  guard: string | null;
  internal: boolean;
}

export interface MachineGraph {
  machine: string;
  version: number;
  initial: string;
  states: Array<{ id: string; final: boolean }>;
  transitions: MachineEdge[];
}

function guardName(guard: unknown): string | null {
  if (guard === undefined || guard === null) return null;
  if (typeof guard === 'string') return guard;
  if (typeof guard === 'object' && 'type' in guard && typeof guard.type === 'string') {
    const params = 'params' in guard && typeof guard.params === 'object' && guard.params !== null ? (guard.params as Record<string, unknown>) : {};
    const detail = typeof params.to === 'string' ? params.to : typeof params.followUp === 'string' ? params.followUp : null;
    return detail ? `${guard.type}:${detail}` : guard.type;
  }
  return 'guard';
}

/**
 * The melding machine as a graph, read from the machine object itself (its state nodes and their transition
 * definitions), so a drawing of it cannot drift from what the engine enforces.
 */
export function meldingMachineGraph(machine: MeldingMachine): MachineGraph {
  const root = machine.root;
  const states = Object.values(root.states).map((node) => ({ id: node.key, final: node.type === 'final' }));
  const transitions: MachineEdge[] = [];
  for (const node of Object.values(root.states)) {
    for (const [event, definitions] of node.transitions) {
      for (const definition of definitions) {
        const targets = definition.target ?? [];
        if (targets.length === 0) {
          transitions.push({ from: node.key, to: node.key, event, guard: guardName(definition.guard), internal: true });
        }
        for (const target of targets) {
          transitions.push({ from: node.key, to: target.key, event, guard: guardName(definition.guard), internal: false });
        }
      }
    }
  }
  const initial = root.initial.target[0]?.key;
  if (!initial) throw new Error('the melding machine has no initial state');
  return { machine: MELDING_MACHINE_ID, version: MELDING_MACHINE_VERSION, initial, states, transitions };
}
