import type { FastifyInstance, FastifyRequest } from 'fastify';
import Joi from 'joi';
import type { UserRenamedNotice } from '@chat/contracts';
import type { Accounts } from '../../accounts/accounts.js';
import { normaliseHandle, validDisplayName } from '../../accounts/handle.js';
import { IdentityError } from '../../errors.js';
import type { Sessions } from '../../sessions/sessions.js';
import { callerOf } from '../bearer.js';

export interface UserRouteDeps {
  accounts: Accounts;
  sessions: Sessions;
  authenticate: (request: FastifyRequest) => Promise<void>;
  /** Tells the gateways (and so the pages) that a name changed. */
  announce: (notice: UserRenamedNotice) => void;
}

const MAX_IDS = 100;
const ID = Joi.string().pattern(/^[A-Za-z0-9._:-]{1,128}$/);
const idsQuery = Joi.object({
  ids: Joi.string()
    .max(MAX_IDS * 130)
    .required(),
});
const searchQuery = Joi.object({ q: Joi.string().min(1).max(64).required() });
const renameBody = Joi.object({ displayName: Joi.string().max(200).required() });

/** Profiles: who I am, renaming, removal, and names of others by id or handle prefix. */
export function userRoutes(deps: UserRouteDeps) {
  return async (app: FastifyInstance): Promise<void> => {
    app.addHook('onRequest', deps.authenticate);

    app.get('/v1/users/me', async (request) => {
      const user = await deps.accounts.byId(callerOf(request).userId);
      if (!user) throw new IdentityError('NOT_ALLOWED', 'the account was removed');
      return { user };
    });

    app.patch('/v1/users/me', { schema: { body: renameBody } }, async (request) => {
      const displayName = validDisplayName((request.body as { displayName: string }).displayName);
      if (!displayName)
        throw new IdentityError('VALIDATION_FAILED', 'the request is not valid', {
          details: ['displayName: 1 to 100 characters'],
        });
      const user = await deps.accounts.rename(callerOf(request).userId, displayName);
      deps.announce({ type: 'user.renamed', ...user });
      return { user };
    });

    app.delete('/v1/users/me', async (request, reply) => {
      const { userId } = callerOf(request);
      await deps.sessions.endAll(userId);
      await deps.accounts.remove(userId);
      return reply.status(204).send();
    });

    app.get('/v1/users', { schema: { querystring: idsQuery } }, async (request) => {
      const ids = [...new Set((request.query as { ids: string }).ids.split(',').filter(Boolean))];
      if (ids.length > MAX_IDS || ids.some((id) => ID.validate(id).error))
        throw new IdentityError('VALIDATION_FAILED', 'the request is not valid', {
          details: [`ids: up to ${MAX_IDS} user ids, comma separated`],
        });
      return { users: await deps.accounts.byIds(ids) };
    });

    app.get('/v1/users/search', { schema: { querystring: searchQuery } }, async (request) => {
      const prefix = normaliseHandle((request.query as { q: string }).q);
      if (!/^[a-z0-9._-]+$/.test(prefix)) return { users: [] };
      return { users: await deps.accounts.search(prefix) };
    });
  };
}
