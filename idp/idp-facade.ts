import type { Hono } from 'hono'
import type { IdpContext } from './context.ts'
import type { FaultSet } from './faults/fault-set.ts'
import type { Journal } from './faults/journal.ts'
import type { JwtSpRegistry } from './jwt/registration.ts'
import type { KeyRing } from './keys/key-ring.ts'
import type { QueuedLogin } from './login/login-queue.ts'
import { queueLogin } from './login/queue-login.ts'
import type { OidcClientRegistry } from './oidc/clients.ts'
import type { ResolvedIdpOptions } from './options.ts'
import type { ServiceProviderRegistry } from './service-providers/registry.ts'
import type { IdpSession } from './session/idp-sessions.ts'
import type { UserStore } from './users/user-store.ts'

/**
 * The mock IdP as `createIdp` returns it: the app to serve, and what a test, a script or the
 * scenario engine may set up and read — the same things the admin API offers, in-process.
 * The IdP's internal state stays behind it.
 */
export interface Idp {
  /** The IdP as a Hono app: `app.fetch` for a server, `app.request(path)` in-process. */
  readonly app: Hono
  /** The options as validated, every default filled in, and the URL of each endpoint. */
  readonly config: ResolvedIdpOptions
  /** The IdP's SAML metadata XML. */
  metadata(): string
  /** Who can sign in; `put` validates (CONFIG_INVALID naming the field) and replaces by id. */
  readonly users: UserStore
  /**
   * A headless sign-in: the next sign-in request (only at `sp` when given: the entity ID of a
   * registered SAML SP, a JWT SP id or an OIDC client_id) completes as this user without the
   * login form. Each queued login is used up by one request, accepted or refused. An unknown
   * user or SP is CONFIG_INVALID.
   */
  queueLogin(userId: string, options?: { sp?: string | undefined }): void
  /** The headless sign-ins still queued, first to be taken first. */
  queuedLogins(): QueuedLogin[]
  /** Drops the queued logins no request took; returns how many there were. */
  clearQueuedLogins(): number
  /** SAML SPs: `register` validates a registration (or one from `registrationFromMetadata`). */
  readonly serviceProviders: ServiceProviderRegistry
  /** SPs that sign in with a JWT (idp/jwt/registration.ts). */
  readonly jwtServiceProviders: JwtSpRegistry
  /** OpenID Connect / OAuth 2 clients (idp/oidc/clients.ts). */
  readonly oidcClients: OidcClientRegistry
  /** Faults injected into what the IdP builds, signs and delivers (idp/faults/README.md). */
  readonly faults: Pick<FaultSet, 'add' | 'addAll' | 'list' | 'remove' | 'clear' | 'ready'>
  /** What each SP sent: AuthnRequests, ArtifactResolves, JWT logins, OIDC requests. */
  readonly journal: Pick<Journal, 'list' | 'clear'>
  /** The IdP's sign-in sessions, read-only: who is signed in and at which SPs. */
  readonly sessions: { forUser(userId: string): readonly Readonly<IdpSession>[] }
  /**
   * The token signing keys (JWT and OIDC): list, stage a next key (published, signing nothing
   * yet), rotate to a new current key, retire.
   */
  readonly keys: Pick<KeyRing, 'list' | 'stage' | 'rotate' | 'retire' | 'jwks'>
}

/** The facade over the IdP's context: each member hands out only what `Idp` names. */
export function idpFacade(app: Hono, ctx: IdpContext, metadata: () => string): Idp {
  const { faults, journal, keys, sessions } = ctx
  return {
    app,
    config: ctx.options,
    metadata,
    users: ctx.users,
    queueLogin: (userId, options = {}) => {
      queueLogin(ctx, userId, options.sp)
    },
    queuedLogins: ctx.nextLogins.list,
    clearQueuedLogins: ctx.nextLogins.clear,
    serviceProviders: ctx.serviceProviders,
    jwtServiceProviders: ctx.jwtServiceProviders,
    oidcClients: ctx.oidcClients,
    faults: {
      add: faults.add,
      addAll: faults.addAll,
      list: faults.list,
      remove: faults.remove,
      clear: faults.clear,
      ready: faults.ready,
    },
    journal: { list: journal.list, clear: journal.clear },
    sessions: { forUser: sessions.forUser },
    keys: {
      list: keys.list,
      stage: keys.stage,
      rotate: keys.rotate,
      retire: keys.retire,
      jwks: keys.jwks,
    },
  }
}
