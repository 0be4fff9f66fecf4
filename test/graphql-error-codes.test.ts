// Every error the API returns as a typed result carries a stable code beside its message, so a tool
// branches on the code rather than on English; field problems carry their own code. Asked over HTTP
// as any client would, and checked on the schema itself so no error type can come without one.
import { readFileSync } from 'node:fs';
import { encodeGlobalID } from '@pothos/plugin-relay';
import { type GraphQLObjectType, getNamedType, isEnumType, isNonNullType } from 'graphql';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { HttpApp } from '../app/server.ts';
import { ERROR_CODES, FIELD_PROBLEM_CODES } from '../core/errors.ts';
import { CURRENT_TERMS_VERSION } from '../core/terms.ts';
import { schema } from '../graphql/schema/index.ts';
import { serveTenant } from './support/http.ts';
import { openTestTenant, portalInput, type TestTenant } from './support/tenant.ts';
import type { WireJson } from './support/wire-json.ts';

let tenant: TestTenant;
let app: HttpApp;
beforeEach(async () => {
  tenant = await openTestTenant();
  app = await serveTenant(tenant);
});
afterEach(async () => {
  await app?.close(0);
  await tenant?.close();
});

const ERRORS = '__typename ... on Error { code message } ... on ValidationError { fields { field code message } }';

async function mutate(token: string, field: string, inputType: string, input: Record<string, unknown>, payload = '... on PortalPayload { portal { id } }') {
  const response = await fetch(`${app.url}/graphql`, {
    method: 'POST',
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json', accept: 'application/graphql-response+json' },
    body: JSON.stringify({ query: `mutation($input: ${inputType}!) { result: ${field}(input: $input) { ${ERRORS} ${payload} } }`, variables: { input } }),
  });
  expect(response.status).toBe(200);
  const body = (await response.json()) as { data: { result: WireJson } };
  return body.data.result;
}

describe('error codes over HTTP', () => {
  it('names who may provision, a taken subdomain, and a malformed or unknown portal ID', async () => {
    const ada = await tenant.token({ email: 'ada@contoso.com' });
    const ken = await tenant.token({ email: 'ken@contoso.com' });
    expect(await mutate(ken, 'requestPortal', 'RequestPortalInput', portalInput())).toMatchObject({ __typename: 'ForbiddenError', code: 'NOT_GLOBAL_ADMINISTRATOR' });

    const taken = await mutate(ada, 'requestPortal', 'RequestPortalInput', portalInput({ subdomain: 'support' }));
    expect(taken).toMatchObject({ __typename: 'ValidationError', code: 'VALIDATION_FAILED' });
    expect(taken.fields).toContainEqual(expect.objectContaining({ field: 'subdomain', code: 'SUBDOMAIN_TAKEN' }));

    const malformed = await mutate(ada, 'restartProvisioning', 'PortalIdInput', { portalId: 'nonsense' });
    expect(malformed.fields).toEqual([{ field: 'portalId', code: 'MALFORMED_ID', message: 'This is not the ID of a portal.' }]);
    expect(await mutate(ada, 'restartProvisioning', 'PortalIdInput', { portalId: encodeGlobalID('Portal', 999) })).toMatchObject({ __typename: 'NotFoundError', code: 'NOT_FOUND' });
  });

  it('names stale terms, the requester alone answering, and a step the status does not allow', async () => {
    const ada = await tenant.token({ email: 'ada@contoso.com' });
    const grace = await tenant.token({ email: 'grace@contoso.com' });
    const portalId = (await mutate(ada, 'requestPortal', 'RequestPortalInput', portalInput())).portal.id;

    const stale = await mutate(ada, 'acceptPortalTerms', 'AcceptPortalTermsInput', { portalId, termsVersion: '2001-01-01' });
    expect(stale.fields).toEqual([expect.objectContaining({ field: 'termsVersion', code: 'TERMS_VERSION_STALE' })]);
    expect(await mutate(grace, 'declinePortalTerms', 'PortalIdInput', { portalId })).toMatchObject({ __typename: 'ForbiddenError', code: 'NOT_REQUESTER' });
    expect(await mutate(ada, 'restartProvisioning', 'PortalIdInput', { portalId })).toMatchObject({ __typename: 'ConflictError', code: 'INVALID_TRANSITION' });
    expect(await mutate(ada, 'grantPortalConsent', 'PortalIdInput', { portalId })).toMatchObject({ __typename: 'ConflictError', code: 'TERMS_NOT_ACCEPTED' });

    await mutate(ada, 'declinePortalTerms', 'PortalIdInput', { portalId });
    const late = await mutate(ada, 'acceptPortalTerms', 'AcceptPortalTermsInput', { portalId, termsVersion: CURRENT_TERMS_VERSION });
    expect(late).toMatchObject({ __typename: 'ConflictError', code: 'TERMS_NOT_AWAITED' });
  });

  it('names a missing scope', async () => {
    const reader = await tenant.token({ email: 'ada@contoso.com', scopes: ['read'] });
    expect(await mutate(reader, 'revokeApiToken', 'RevokeApiTokenInput', { id: encodeGlobalID('ApiToken', 1) }, '... on ApiTokenPayload { token { id } }')).toMatchObject({
      __typename: 'ForbiddenError',
      code: 'MISSING_SCOPE',
    });
  });
});

describe('the schema', () => {
  const typeMap = schema.getTypeMap();
  const errorTypes = schema.getPossibleTypes(schema.getType('Error') as never) as readonly GraphQLObjectType[];

  it('gives every error type a non-null code of the ErrorCode enum', () => {
    expect(errorTypes.map((t) => t.name).sort()).toEqual(['ConflictError', 'ForbiddenError', 'NotFoundError', 'ValidationError']);
    for (const type of errorTypes) {
      const code = type.getFields().code;
      expect(code && isNonNullType(code.type), `${type.name}.code`).toBe(true);
      expect(getNamedType(code!.type).name).toBe('ErrorCode');
    }
    // No type named like an error stands outside the interface.
    const outside = Object.keys(typeMap).filter((name) => /Error$/.test(name) && name !== 'Error' && !errorTypes.some((t) => t.name === name));
    expect(outside).toEqual([]);
  });

  it('gives every field problem a non-null code, and has the codes core throws, each described and documented', () => {
    const problemCode = (typeMap.FieldProblem as GraphQLObjectType).getFields().code;
    expect(problemCode && isNonNullType(problemCode.type) && getNamedType(problemCode.type).name).toBe('FieldProblemCode');
    const docs = readFileSync(new URL('../docs/error-codes.md', import.meta.url), 'utf8');
    for (const [name, codes] of [
      ['ErrorCode', ERROR_CODES],
      ['FieldProblemCode', FIELD_PROBLEM_CODES],
    ] as const) {
      const type = typeMap[name];
      if (!isEnumType(type)) throw new Error(`${name} is not an enum`);
      expect(
        type
          .getValues()
          .map((v) => v.name)
          .sort(),
      ).toEqual(Object.keys(codes).sort());
      for (const value of type.getValues()) {
        expect(value.description, `${name}.${value.name}`).toBeTruthy();
        expect(docs, `docs/error-codes.md names ${value.name}`).toContain(`\`${value.name}\``);
      }
    }
  });
});
