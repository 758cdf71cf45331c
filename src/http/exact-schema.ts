import type { z } from 'zod';

/** True when A and B are assignable to each other: the same fields, each of the same type (extra optional fields aside). */
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;

/**
 * The response schema of a view the service builds, tied to the service's own type: `describes<View>()(schema)`
 * compiles only when what the schema parses to and the service's type are assignable both ways, so a field the
 * service adds, drops, renames or retypes fails `tsc` here (and fastify's serialiser checks every answer at run
 * time). The service's type stays the one source; the schema says it for the document.
 */
export const describes =
  <View>() =>
  <S extends z.ZodType>(schema: S, ..._mismatch: Same<z.output<S>, View> extends true ? [] : [error: { schemaGives: z.output<S>; serviceAnswers: View }]): S =>
    schema;
