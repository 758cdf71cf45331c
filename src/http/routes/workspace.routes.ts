import { z } from 'zod';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { WorkspaceService } from '../../workspace/workspace.service';
import { principalOf } from '../authenticate';

/** The caseworker's workspace ("Mijn werk" in the dashboard). */
export function workspaceRoutes(workspace: WorkspaceService): FastifyPluginAsyncZod {
  return async (app) => {
    app.get('/v1/workspace', {
      schema: {
        tags: ['cases'],
        summary: "Your open cases and your teams' unassigned ones, nearest term first, with what each waits for; proposals you may approve (medewerker, teamleider)",
        querystring: z.object({}).strict(),
      },
      handler: async (request) => workspace.forPrincipal(principalOf(request)),
    });
  };
}
