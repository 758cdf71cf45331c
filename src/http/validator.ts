import type { FastifySchemaCompiler } from 'fastify';
import { validatorCompiler } from 'fastify-type-provider-zod';
import type { z } from 'zod';
import { withTextRule } from '../../workflows/reference/text-rules';

/**
 * The zod validator for every route, with the text rule (no NUL or other control characters) in front of each
 * schema: body, query string, parameters and headers alike, including routes added later. A refused value is a 400
 * naming the field, before the route's own schema or any database sees it.
 */
export const guardedValidatorCompiler: FastifySchemaCompiler<z.ZodType> = (route) => validatorCompiler({ ...route, schema: withTextRule(route.schema) });
