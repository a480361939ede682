import { type CheckTable, runCheckTable } from '../../core/checks/run-check-table.ts'
import { SsoError } from '../../core/errors/index.ts'
import { decodePost } from '../../core/saml/post.ts'
import { type DecodedRedirect, decodeRedirect } from '../../core/saml/redirect.ts'
import { firstChildElement, ns, parseXml } from '../../core/xml/index.ts'
import { spCryptoAllowance } from '../service-providers/crypto-allowance.ts'
import type { AcsEndpoint, SpRegistration } from '../service-providers/registration.ts'
import type { ServiceProviderRegistry } from '../service-providers/registry.ts'
import { type AuthnRequest, readAuthnRequest } from './authn-request.ts'
import { checkRequestDestination } from './check-request-destination.ts'
import { checkRequestSignature } from './check-request-signature.ts'
import { type ResolvedAcs, type ResponseBinding, resolveAcs } from './resolve-acs.ts'

export type IncomingBinding =
  | { binding: 'redirect'; rawQuery: string }
  | { binding: 'post'; form: Record<string, string | File | (string | File)[]> }

export interface AcceptedAuthnRequest {
  request: AuthnRequest
  sp: SpRegistration
  acs: AcsEndpoint
  /** How the Response goes to the ACS (see resolve-acs.ts). */
  responseBinding: ResponseBinding
  /** A ProtocolBinding the IdP does not answer by: the answer is Requester/UnsupportedBinding. */
  unsupportedBinding: string | undefined
  relayState: string | undefined
  /** Signed by a query signature or an enveloped one (verified). */
  signed: boolean
}

/** What the checks need and learn as they go; each reads what the ones before it set. */
export interface AuthnRequestChecks {
  incoming: IncomingBinding
  sps: ServiceProviderRegistry
  ssoUrl: string
  /** Hears whom the request claims to be from, before anything checks it. */
  onIssuer: (issuer: string | undefined) => void
  log: (line: string) => void
  decoded?: Omit<DecodedRedirect, 'signature'> & Partial<Pick<DecodedRedirect, 'signature'>>
  request?: AuthnRequest
  sp?: SpRegistration
  /** The request carries an enveloped ds:Signature. */
  enveloped?: boolean
  acs?: ResolvedAcs
}

const signedBy = ({ decoded, enveloped }: AuthnRequestChecks) =>
  decoded?.signature !== undefined || enveloped === true

/**
 * The IdP's checks on an incoming AuthnRequest (saml-profiles §4.1.4.1), in the order they run:
 * the cheap ones before the signature's (catalogue case 38).
 */
export const authnRequestChecks: CheckTable<AuthnRequestChecks> = [
  [
    'Binding',
    (checks) => {
      const { incoming } = checks
      checks.decoded =
        incoming.binding === 'redirect'
          ? decodeRedirect(incoming.rawQuery, 'SAMLRequest')
          : decodePost(incoming.form, 'SAMLRequest')
    },
    'size-capped base64 (and DEFLATE over HTTP-Redirect), RelayState ≤ 80 bytes (SAML_MESSAGE_MISSING / SAML_BINDING_INVALID / SAML_RELAY_STATE_TOO_LONG)',
  ],
  [
    'AuthnRequest',
    (checks) => {
      const request = readAuthnRequest(parseXml(checks.decoded?.xml ?? ''))
      checks.request = request
      checks.onIssuer(request.issuer)
      checks.enveloped = firstChildElement(request.element, ns.ds, 'Signature') !== undefined
    },
    'hardened XML parse (no DOCTYPE, size and depth caps); samlp:AuthnRequest, Version 2.0, ID (SAML_REQUEST_INVALID / XML_*)',
  ],
  [
    'Issuer',
    (checks) => {
      const issuer = checks.request?.issuer
      checks.sp = issuer ? checks.sps.get(issuer) : undefined
      if (!checks.sp) {
        throw new SsoError(
          'SAML_REQUEST_UNKNOWN_SP',
          'Issuer',
          'the AuthnRequest Issuer is not a registered service provider',
          { issuer: issuer ?? null },
        )
      }
    },
    'a registered service provider (SAML_REQUEST_UNKNOWN_SP)',
  ],
  [
    'Destination',
    (checks) =>
      checkRequestDestination(checks.request?.destination, checks.ssoUrl, signedBy(checks)),
    "this IdP's SSO endpoint; required when signed (SAML_REQUEST_INVALID)",
  ],
  [
    'AssertionConsumerService',
    (checks) => {
      checks.acs = resolveAcs(checks.request as AuthnRequest, checks.sp as SpRegistration)
    },
    "URL or index names one of the SP's registered endpoints, never taken blindly (SAML_REQUEST_ACS_NOT_ALLOWED / SAML_REQUEST_INVALID)",
  ],
  [
    'Signature',
    ({ incoming, decoded, request, enveloped, sp, log }) => {
      const registered = sp as SpRegistration
      // Over HTTP-Redirect only the query signature counts (saml-bindings §3.4.4.1).
      checkRequestSignature(
        decoded?.signature,
        incoming.binding === 'post' && enveloped ? request?.element : undefined,
        registered,
        spCryptoAllowance(log, registered),
      )
    },
    "verified with the SP's certificates; required when it is registered as signing (SAML_REQUEST_SIGNATURE_MISSING / _INVALID)",
  ],
]

/** Runs authnRequestChecks over an AuthnRequest received over HTTP-Redirect or HTTP-POST. */
export function receiveAuthnRequest(
  incoming: IncomingBinding,
  sps: ServiceProviderRegistry,
  ssoUrl: string,
  onIssuer: (issuer: string | undefined) => void = () => {},
  log: (line: string) => void = () => {},
): AcceptedAuthnRequest {
  const { ctx: checked } = runCheckTable(
    authnRequestChecks,
    (): AuthnRequestChecks => ({ incoming, sps, ssoUrl, onIssuer, log }),
  )
  const { acs, responseBinding, unsupportedBinding } = checked.acs as ResolvedAcs
  return {
    request: checked.request as AuthnRequest,
    sp: checked.sp as SpRegistration,
    acs,
    responseBinding,
    unsupportedBinding,
    relayState: checked.decoded?.relayState,
    signed: signedBy(checked),
  }
}
