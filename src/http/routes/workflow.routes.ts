import { z } from 'zod';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { meldingMachineGraph, type MeldingWorkflow } from '../../../workflows/melding';
import { principalOf } from '../authenticate';
import { json, responses } from '../openapi';

const graphSchema = z.object({
  machine: z.string(),
  version: z.number().int(),
  initial: z.string(),
  states: z.array(z.object({ id: z.string(), final: z.boolean() })),
  transitions: z.array(
    z.object({
      from: z.string(),
      to: z.string(),
      event: z.string(),
      guard: z.string().nullable().describe('the guard that decides, e.g. approvedTo:onderzoek; null when unguarded'),
      internal: z.boolean().describe('true: the event stays in its state (record-keeping)'),
    }),
  ),
});

/** The melding machine's states and transitions, read from the machine the engine runs (for the state diagram). */
export function workflowRoutes(workflow: MeldingWorkflow): FastifyPluginAsyncZod {
  const graph = meldingMachineGraph(workflow.machine);
  return async (app) => {
    app.get('/v1/workflow/melding/definition', {
      schema: {
        operationId: 'getMeldingWorkflow',
        tags: ['workflow'],
        summary: "The melding machine's states and transitions, derived from the machine definition",
        response: responses({ 200: json('The machine graph', graphSchema) }),
      },
      handler: async (request) => {
        principalOf(request);
        return graph;
      },
    });
  };
}
