import { z } from 'zod';
import { validationError } from '../shared/errors';
import type { CaseListFilter } from './case.repository';

const cursorSchema = z.object({ d: z.iso.datetime().nullable(), i: z.uuid() });

/** The opaque cursor of a case list page: the last case's next due moment and id, base64url JSON. */
export function encodeCaseCursor(nextDueAt: Date | null, id: string): string {
  return Buffer.from(JSON.stringify({ d: nextDueAt?.toISOString() ?? null, i: id })).toString('base64url');
}

export function decodeCaseCursor(cursor: string): CaseListFilter['after'] {
  try {
    const parsed = cursorSchema.parse(JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')));
    return { nextDueAt: parsed.d ? new Date(parsed.d) : null, id: parsed.i };
  } catch {
    throw validationError([{ field: 'cursor', rule: 'must be a cursor returned by a previous page' }]);
  }
}
