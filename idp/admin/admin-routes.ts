import { Hono } from 'hono'
import { SsoError } from '../../core/errors/index.ts'
import type { IdpContext } from '../context.ts'
import { faultRoutes } from '../faults/fault-routes.ts'
import { publicJwtSp } from '../jwt/registration.ts'
import { rotateKey } from '../keys/key-admin.ts'
import { queueLogin } from '../login/queue-login.ts'
import { publicClient } from '../oidc/clients.ts'
import { fetchSpMetadata } from '../service-providers/fetch-metadata.ts'
import { registrationFromAdminBody } from '../service-providers/from-metadata.ts'
import { adminLogout } from '../slo/admin-logout.ts'
import type { IdpUser } from '../users/user.ts'

/**
 * The IdP's admin HTTP API (JSON), for scripts and scenarios:
 *   GET    /admin/users                 list users (passwords left out)
 *   POST   /admin/users                 add or replace a user
 *   PUT    /admin/users/:id             add or replace the user with this id
 *   DELETE /admin/users/:id             remove a user
 *   POST   /admin/next-login            {"userId", "sp"?}: the next sign-in request (at that SP, when
 *                                       named) completes as this user; used up by it, refused or not
 *   GET    /admin/service-providers     list registered SPs
 *   POST   /admin/service-providers     register an SP: a registration object, or {"metadata": "<xml>"}
 *                                       or {"metadataUrl": "https://…"} (service-providers/fetch-metadata.ts)
 *                                       with settings beside it that override the metadata's;
 *                                       unknown settings are refused
 *   POST   /admin/logout                {"userId"}: end the user's IdP sessions; the answer lists the
 *                                       signed LogoutRequests for the SPs to deliver (slo/admin-logout.ts)
 *   GET    /admin/jwt-service-providers list JWT SPs (secrets left out)
 *   POST   /admin/jwt-service-providers register a JWT SP (jwt/registration.ts)
 *   GET    /admin/oidc-clients          list OpenID Connect clients (secrets left out)
 *   POST   /admin/oidc-clients          register a client (oidc/clients.ts)
 *   GET    /admin/keys                  the token signing keys (kid, alg, state)
 *   POST   /admin/keys/rotate           {"algorithm"}: a new current key; the old one stays published
 *   DELETE /admin/keys/:kid             retire a previous key (no longer in the JWKS)
 *   GET|POST|DELETE /admin/faults, DELETE /admin/faults/:id, GET|DELETE /admin/journal:
 *                                       fault injection and what the SPs sent (faults/fault-routes.ts)
 */
export function adminRoutes(ctx: IdpContext) {
  const app = new Hono()
  app.get('/users', (c) => c.json({ users: ctx.users.list().map(publicUser) }))
  app.post('/users', async (c) =>
    c.json({ user: publicUser(ctx.users.put(await readJson(c.req.raw))) }, 201),
  )
  app.put('/users/:id', async (c) => {
    const body = await readJson(c.req.raw)
    const input =
      typeof body === 'object' && body !== null ? { ...body, id: c.req.param('id') } : body
    return c.json({ user: publicUser(ctx.users.put(input)) })
  })
  app.delete('/users/:id', (c) => {
    if (!ctx.users.delete(c.req.param('id'))) {
      throw new SsoError('NOT_FOUND', 'user', 'no user with this id', { id: c.req.param('id') })
    }
    return c.body(null, 204)
  })
  app.post('/next-login', async (c) => {
    const body = (await readJson(c.req.raw)) as { userId?: unknown; sp?: unknown }
    const userId = typeof body?.userId === 'string' ? body.userId : ''
    if (body?.sp !== undefined && typeof body.sp !== 'string') {
      throw new SsoError(
        'CONFIG_INVALID',
        'sp',
        'sp must name a registered SAML SP (entity ID), JWT SP (id) or OIDC client (client_id)',
        { sp: null },
      )
    }
    return c.json({ queued: queueLogin(ctx, userId, body?.sp) }, 202)
  })
  app.get('/service-providers', (c) => c.json({ serviceProviders: ctx.serviceProviders.list() }))
  app.post('/service-providers', async (c) => {
    const input = await registrationFromAdminBody(await readJson(c.req.raw), (metadataUrl) =>
      fetchSpMetadata(metadataUrl, {
        fetch: ctx.options.fetch,
        policy: ctx.options.fetchPolicy,
        timeoutMs: ctx.options.metadataFetchTimeoutMs,
        log: ctx.options.log,
      }),
    )
    return c.json({ serviceProvider: ctx.serviceProviders.register(input) }, 201)
  })
  app.post('/logout', async (c) => c.json(await adminLogout(ctx, await readJson(c.req.raw))))
  app.get('/jwt-service-providers', (c) =>
    c.json({ jwtServiceProviders: ctx.jwtServiceProviders.list().map(publicJwtSp) }),
  )
  app.post('/jwt-service-providers', async (c) =>
    c.json(
      {
        jwtServiceProvider: publicJwtSp(
          ctx.jwtServiceProviders.register(await readJson(c.req.raw)),
        ),
      },
      201,
    ),
  )
  app.get('/oidc-clients', (c) => c.json({ oidcClients: ctx.oidcClients.list().map(publicClient) }))
  app.post('/oidc-clients', async (c) =>
    c.json({ oidcClient: publicClient(ctx.oidcClients.register(await readJson(c.req.raw))) }, 201),
  )
  app.get('/keys', async (c) => c.json({ keys: await ctx.keys.list() }))
  app.post('/keys/rotate', async (c) =>
    c.json(await rotateKey(ctx.keys, await readJson(c.req.raw))),
  )
  app.delete('/keys/:kid', async (c) =>
    c.json({ retired: await ctx.keys.retire(c.req.param('kid')) }),
  )
  app.route('/', faultRoutes(ctx))
  return app
}

function publicUser(user: IdpUser) {
  const { password, secondFactor, ...rest } = user
  return {
    ...rest,
    hasPassword: password !== undefined,
    ...(secondFactor ? { secondFactor: { always: secondFactor.always } } : {}),
  }
}

async function readJson(request: Request): Promise<unknown> {
  try {
    return await request.json()
  } catch {
    throw new SsoError('CONFIG_INVALID', 'body', 'the request body is not valid JSON', {})
  }
}
