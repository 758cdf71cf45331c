import { applyApiProfile } from '../../src/http/openapi-profile';

describe('the NL API Design Rules profile of the document (src/http/openapi-profile.ts)', () => {
  const doc = () => ({
    openapi: '3.1.0',
    paths: {
      '/v1/x': {
        get: {
          responses: {
            200: { description: 'ok', content: { 'application/json': { schema: { type: 'object', properties: { d: { anyOf: [{ type: 'string', format: 'date' }, { type: 'null' }] } } } } } },
            304: { description: 'not modified' },
            404: { description: 'no', content: { 'application/problem+json': { schema: { type: 'object' } } } },
          },
        },
      },
    },
    components: { schemas: { E: { anyOf: [{ type: 'string', enum: ['a', 'b'] }, { type: 'null' }] }, C: { anyOf: [{ const: 'a' }, { type: 'null' }] }, O: { anyOf: [{ type: 'object' }, { type: 'null' }] } } },
  });

  it('documents API-Version on every success and redirect, not on problems', () => {
    const out = applyApiProfile(doc());
    const responses = out.paths['/v1/x'].get.responses as Record<string, { headers?: unknown }>;
    expect(responses['200']!.headers).toEqual({ 'API-Version': { $ref: '#/components/headers/API-Version' } });
    expect(responses['304']!.headers).toEqual({ 'API-Version': { $ref: '#/components/headers/API-Version' } });
    expect(responses['404']!.headers).toBeUndefined();
    expect((out.components as { headers?: Record<string, unknown> }).headers?.['API-Version']).toBeDefined();
  });

  it('writes a nullable scalar as one schema with a type list, keeping its format, and adds null to an enum', () => {
    const out = applyApiProfile(doc());
    const schema = out.paths['/v1/x'].get.responses[200].content['application/json'].schema as { properties: Record<string, unknown> };
    expect(schema.properties.d).toEqual({ type: ['string', 'null'], format: 'date' });
    expect(out.components.schemas.E).toEqual({ type: ['string', 'null'], enum: ['a', 'b', null] });
  });

  it('leaves a const, an object or an array alternative to null as an anyOf', () => {
    const out = applyApiProfile(doc());
    expect(out.components.schemas.C).toEqual(doc().components.schemas.C);
    expect(out.components.schemas.O).toEqual(doc().components.schemas.O);
  });

  it('does not change its input', () => {
    const input = doc();
    applyApiProfile(input);
    expect(input).toEqual(doc());
  });
});
