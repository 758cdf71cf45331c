import type { FastifyRequest } from 'fastify';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * The path as logged: the matched route with only UUID parameters filled in (case, alert, deadline ids), so a name
 * or BSN typed into a URL never reaches the logs; '(no route)' when nothing matched.
 */
export function loggedPath(req: FastifyRequest): string {
  const pattern = req.routeOptions?.url;
  if (!pattern) return '(no route)';
  const params = (req.params ?? {}) as Record<string, unknown>;
  return pattern.replace(/:([A-Za-z0-9_]+)/g, (placeholder, name: string) => {
    const value = params[name];
    return typeof value === 'string' && UUID.test(value) ? value : placeholder;
  });
}
