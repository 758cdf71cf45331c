import { AppError, validationError } from '../shared/errors';

/** A case's entity tag is its version: strong, since every change bumps it. */
export const versionEtag = (version: number): string => `"${version}"`;

/** Whether `If-None-Match` (a list of tags, or `*`) names the current tag; weak tags compare by their value. */
export function noneMatchHits(header: string | undefined, etag: string): boolean {
  if (header === undefined) return false;
  if (header.trim() === '*') return true;
  return header.split(',').some((tag) => tag.trim().replace(/^W\//, '') === etag);
}

/**
 * The version a change expects, from `If-Match: "<version>"` or the body's `expectedVersion` (one of the two; equal
 * when both are given). `viaIfMatch` says which, because a stale `If-Match` answers 412 where a stale body answers 409.
 */
export function expectedVersionOf(ifMatch: string | undefined, bodyVersion: number | undefined): { version: number; viaIfMatch: boolean } {
  if (ifMatch === undefined) {
    if (bodyVersion === undefined) throw validationError([{ field: 'expectedVersion', rule: 'is required unless an If-Match header gives the version' }]);
    return { version: bodyVersion, viaIfMatch: false };
  }
  const match = /^"([1-9]\d{0,9})"$/.exec(ifMatch.trim());
  if (!match) throw validationError([{ field: 'headers.if-match', rule: 'must be the ETag of the case as GET /v1/cases/{id} sent it, e.g. "3"' }]);
  const version = Number(match[1]);
  if (bodyVersion !== undefined && bodyVersion !== version) throw validationError([{ field: 'expectedVersion', rule: 'must equal the version in If-Match when both are given' }]);
  return { version, viaIfMatch: true };
}

/** A version conflict found through `If-Match` is a failed precondition (412), nothing written. */
export function asPreconditionFailure(error: unknown): unknown {
  if (error instanceof AppError && error.code === 'CASE.VERSION_CONFLICT') return new AppError('CASE.PRECONDITION_FAILED', error.message, error.details);
  return error;
}
