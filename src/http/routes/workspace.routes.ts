import { z } from 'zod';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { WorkspaceService } from '../../workspace/workspace.service';
import { principalOf } from '../authenticate';
import { json, responses } from '../openapi';
import { workspaceSchema } from '../view-schemas';

/** The caseworker's workspace ("Mijn werk" in the dashboard). */
export function workspaceRoutes(workspace: WorkspaceService): FastifyPluginAsyncZod {
  return async (app) => {
    app.get('/v1/workspace', {
      schema: {
        operationId: 'getWorkspace',
        response: responses({ 200: json('Your work', workspaceSchema) }, [403]),
        tags: ['cases'],
        summary: "Your open cases and your teams' unassigned ones, nearest term first, with what each waits for; proposals you may approve (medewerker, teamleider)",
        querystring: z.object({}).strict(),
      },
      handler: async (request) => workspace.forPrincipal(principalOf(request)),
    });
  };
}
