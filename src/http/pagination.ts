import type { FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';

export { encodeSeqCursor, seqCursorSchema } from '../shared/cursor';

/**
 * The one pagination contract of every list that can grow without bound (docs/api.md, Pagination): the client
 * sends `limit` and the opaque `cursor` of the previous page; the answer carries `nextCursor` (null on the last
 * page), `links.next` (this request's URL with `cursor` set to it, or null) and, when there is a next page, the
 * RFC 8288 header `Link: </v1/...&cursor=...>; rel="next"`. A cursor is base64url and means nothing to clients.
 */
export interface Page<T> {
  items: T[];
  nextCursor: string | null;
}

export const pageLinksSchema = z
  .object({ next: z.string().nullable().describe('The next page: this request with cursor set to nextCursor (a path with query); null on the last page') })
  .meta({ id: 'PageLinks' });

/** The page as answered: items, nextCursor, links.next; and the Link header when there is a next page. */
export function paged<T>(request: FastifyRequest, reply: FastifyReply, page: Page<T>): Page<T> & { links: { next: string | null } } {
  const next = page.nextCursor === null ? null : nextLink(request.url, page.nextCursor);
  if (next) void reply.header('link', `<${next}>; rel="next"`);
  return { items: page.items, nextCursor: page.nextCursor, links: { next } };
}

function nextLink(url: string, cursor: string): string {
  const [path = '', query = ''] = url.split('?', 2);
  const params = new URLSearchParams(query);
  params.set('cursor', cursor);
  return `${path}?${params.toString()}`;
}
