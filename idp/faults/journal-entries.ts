import type { Element } from '@xmldom/xmldom'
import { attr, firstChildElement, ns, textContent } from '../../core/xml/index.ts'
import type { IdpContext } from '../context.ts'
import type { AuthorizationRequest } from '../oidc/authorization-request.ts'
import type { AcceptedAuthnRequest } from '../sso/receive-authn-request.ts'

/** Journals an accepted AuthnRequest under its Issuer (the SP's entity ID). */
export function journalAuthnRequest(
  ctx: IdpContext,
  binding: 'redirect' | 'post',
  accepted: AcceptedAuthnRequest,
): void {
  const { request } = accepted
  ctx.journal.record(accepted.sp.entityId, {
    message: 'AuthnRequest',
    id: request.id,
    binding,
    signed: accepted.signed,
    acsUrl: accepted.acs.location,
    acsUrlRequested: request.assertionConsumerServiceUrl ?? null,
    acsIndexRequested: request.assertionConsumerServiceIndex ?? null,
    forceAuthn: request.forceAuthn,
    isPassive: request.isPassive,
    destination: request.destination ?? null,
    relayState: accepted.relayState !== undefined,
  })
}

/** Journals an ArtifactResolve under its Issuer, with what the IdP answered. */
export function journalArtifactResolve(
  ctx: IdpContext,
  resolve: Element,
  answer: 'message' | 'empty' | 'error',
  /** A TLS client certificate came with it (serve --tls). */
  clientCertificate = false,
): void {
  const issuer = firstChildElement(resolve, ns.saml, 'Issuer')
  ctx.journal.record(issuer ? textContent(issuer).trim() : '', {
    message: 'ArtifactResolve',
    id: attr(resolve, 'ID') ?? null,
    signed: firstChildElement(resolve, ns.ds, 'Signature') !== undefined,
    clientCertificate,
    answer,
  })
}

/** Journals an authorization request of a known client, accepted or refused with `error`. */
export function journalAuthorize(
  ctx: IdpContext,
  clientId: string,
  request: Pick<AuthorizationRequest, 'redirectUri'> & Partial<AuthorizationRequest>,
  error: string | null,
): void {
  ctx.journal.record(clientId, {
    message: 'OidcAuthorize',
    redirectUri: request.redirectUri,
    scopes: request.scopes ?? [],
    prompt: request.prompt ?? [],
    state: request.state !== undefined,
    nonce: request.nonce !== undefined,
    codeChallengeMethod: request.codeChallengeMethod ?? null,
    responseMode: request.responseMode ?? null,
    error,
  })
}

/** Journals a token request of an authenticated client; never the code, verifier or secret. */
export function journalTokenRequest(
  ctx: IdpContext,
  clientId: string,
  authorization: string | undefined,
  body: Record<string, string>,
): void {
  ctx.journal.record(clientId, {
    message: 'OidcToken',
    grantType: body.grant_type ?? null,
    clientAuthentication: /^Basic\s/i.test(authorization ?? '')
      ? 'client_secret_basic'
      : body.client_secret !== undefined
        ? 'client_secret_post'
        : 'none',
    codeVerifier: body.code_verifier !== undefined,
    redirectUri: body.redirect_uri ?? null,
  })
}
