import { createExpiringMap } from '../../core/clock/expiring-map.ts'
import type { Clock } from '../../core/clock/index.ts'
import { newToken, type Random } from '../../core/random/index.ts'
import type { StatedContext } from '../faults/authn-context.ts'
import type { JwtSpRegistration } from '../jwt/registration.ts'
import type { ContextRequirement } from '../login/choose-authn-method.ts'
import type { AuthorizationRequest } from '../oidc/authorization-request.ts'
import type { NameIdFormatName } from '../response/name-id.ts'
import type { SpRegistration } from '../service-providers/registration.ts'
import type { IdpSession } from '../session/idp-sessions.ts'
import type { IdpUser } from '../users/user.ts'
import type { ResponseBinding } from './resolve-acs.ts'

/** What every sign-in in progress has, whatever the protocol. */
interface FlowBase {
  /** Ask for credentials even when the browser has an IdP session (ForceAuthn, prompt=login). */
  forceAuthn: boolean
  loginHint: string | undefined
  /** The authentication context the request asks for (SAML RequestedAuthnContext, OIDC acr). */
  authnContext?: ContextRequirement | undefined
  /**
   * Set once the password (or the IdP session) is done and the second factor is asked: whose,
   * and the session a step-up raises.
   */
  secondFactor?: { userId: string; sessionIndex: string | undefined } | undefined
}

/** A SAML sign-in: the Response goes to the ACS. */
export interface SamlFlow extends FlowBase {
  kind: 'saml'
  sp: SpRegistration
  acsUrl: string
  /** HTTP-POST or HTTP-Artifact, as the request and the SP's registration decide (resolve-acs.ts). */
  responseBinding: ResponseBinding
  /** The AuthnRequest ID; absent for IdP-initiated sign-in. */
  requestId: string | undefined
  relayState: string | undefined
  /** The NameID format to answer with, and whether the request asked for it (NameIDPolicy). */
  nameIdFormat: NameIdFormatName
  nameIdRequested: boolean
}

/** A JWT token sign-in: the token goes to the SP's return_url (idp/jwt). */
export interface JwtFlow extends FlowBase {
  kind: 'jwt'
  sp: JwtSpRegistration
  /** The accepted return_url (see idp/jwt/return-url.ts). */
  returnUrl: string
}

/** An OpenID Connect / OAuth 2 sign-in: a code goes to the client's redirect_uri (idp/oidc). */
export interface OidcFlow extends FlowBase {
  kind: 'oidc'
  request: AuthorizationRequest
}

/** A sign-in in progress at the IdP: what to answer, to whom, once the user is known. */
export type Flow = SamlFlow | JwtFlow | OidcFlow

/** How a flow ended at the IdP, before it is said in the flow's protocol. */
export type FlowOutcome =
  | { kind: 'success'; user: IdpUser; session: IdpSession; context: StatedContext }
  | { kind: 'failure'; reason: 'cancelled' | 'login-required' | 'no-authn-context' }

/** Who the sign-in is for, as the login page names it. */
export function flowAudience(flow: Flow): string {
  switch (flow.kind) {
    case 'saml':
      return flow.sp.entityId
    case 'jwt':
      return flow.sp.id
    case 'oidc':
      return flow.request.client.clientId
  }
}

const flowLifetimeMs = 15 * 60_000

export interface FlowStore {
  start(flow: Flow): string
  get(id: string | undefined): Flow | undefined
  /** Takes the flow out: a flow completes once. */
  take(id: string | undefined): Flow | undefined
}

export function createFlowStore(clock: Clock, random: Random): FlowStore {
  const flows = createExpiringMap<Flow>(clock)
  return {
    start(flow) {
      const id = newToken(random, 18)
      flows.set(id, flow, clock.now() + flowLifetimeMs)
      return id
    },
    get: (id) => (id ? flows.get(id) : undefined),
    take: (id) => (id ? flows.take(id) : undefined),
  }
}
