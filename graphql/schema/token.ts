// API tokens for administrators: the list (never a secret: tokens are stored only as hashes) and revocation.
import { encodeGlobalID } from '@pothos/plugin-relay';
import { createGraphQLError } from 'graphql-yoga';
import { actorLabel, hasScope } from '../../core/actor.ts';
import { ForbiddenError } from '../../core/errors.ts';
import { listApiTokens, revokeApiToken, type TokenInfo } from '../../core/tokens.ts';
import { builder } from '../builder.ts';
import type { GraphQLContext } from '../context.ts';
import { requireRowId } from '../ids.ts';
import { DirectoryUserRef } from './directory.ts';
import { MUTATION_ERRORS } from './errors.ts';

const ADMIN_ONLY = 'Only a token with the admin scope may see or revoke API tokens.';

const TokenStateEnum = builder.enumType('ApiTokenState', { values: ['ACTIVE', 'EXPIRED', 'REVOKED'] as const });

const ApiTokenRef = builder.objectRef<TokenInfo>('ApiToken').implement({
  description: 'An API token as administrators see it; the token itself is shown only once, when made.',
  fields: (t) => ({
    id: t.id({ resolve: (token) => encodeGlobalID('ApiToken', token.id) }),
    number: t.exposeInt('id', { description: 'The number token:list shows and token:revoke takes.' }),
    name: t.exposeString('name'),
    scopes: t.stringList({ resolve: (token) => token.scopes }),
    user: t.field({ type: DirectoryUserRef, nullable: true, description: 'The user it acts as; none for a service token.', resolve: (token) => token.userId }),
    state: t.field({ type: TokenStateEnum, resolve: (token) => token.state }),
    createdAt: t.expose('createdAt', { type: 'DateTime' }),
    lastUsedAt: t.expose('lastUsedAt', { type: 'DateTime', nullable: true, description: 'Recorded at most once a minute.' }),
    expiresAt: t.expose('expiresAt', { type: 'DateTime', nullable: true }),
    revokedAt: t.expose('revokedAt', { type: 'DateTime', nullable: true }),
  }),
});

const ApiTokenPayload = builder.objectRef<{ token: TokenInfo }>('ApiTokenPayload').implement({
  fields: (t) => ({ token: t.field({ type: ApiTokenRef, resolve: (payload) => payload.token }) }),
});

builder.queryField('apiTokens', (t) =>
  t.field({
    type: [ApiTokenRef],
    description: 'Every API token, oldest first (admin scope).',
    resolve: (_root, _args, ctx: GraphQLContext) => {
      if (!hasScope(ctx.actor, 'admin')) throw createGraphQLError(ADMIN_ONLY, { extensions: { code: 'FORBIDDEN' } });
      return listApiTokens(ctx.db);
    },
  }),
);

const RevokeApiTokenInput = builder.inputType('RevokeApiTokenInput', {
  fields: (t) => ({ id: t.id({ required: true, description: 'Global ID of an ApiToken.' }) }),
});

builder.mutationField('revokeApiToken', (t) =>
  t.field({
    type: ApiTokenPayload,
    description: 'Revokes an API token (admin scope): from now on it authenticates nothing.',
    args: { input: t.arg({ type: RevokeApiTokenInput, required: true }) },
    errors: { types: MUTATION_ERRORS },
    resolve: async (_root, { input }, ctx) => {
      if (!hasScope(ctx.actor, 'admin')) throw new ForbiddenError(ADMIN_ONLY, 'MISSING_SCOPE');
      const id = requireRowId('ApiToken', input.id, 'id');
      const token = await revokeApiToken(ctx.db, id);
      ctx.log.info({ tokenId: token.id, tokenName: token.name, by: actorLabel(ctx.actor) }, 'API token revoked');
      return { token };
    },
  }),
);
