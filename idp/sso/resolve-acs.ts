import { SsoError } from '../../core/errors/index.ts'
import { bindings } from '../../core/saml/constants.ts'
import {
  type AcsEndpoint,
  defaultAcs,
  type SpRegistration,
} from '../service-providers/registration.ts'
import type { AuthnRequest } from './authn-request.ts'

/** How the Response reaches the ACS: HTTP-POST (saml-bindings §3.5) or HTTP-Artifact (§3.6). */
export type ResponseBinding = 'post' | 'artifact'

/** Where and how the IdP answers an AuthnRequest. */
export type ResolvedAcs =
  | { acs: AcsEndpoint; responseBinding: ResponseBinding; unsupportedBinding?: undefined }
  /** The request named a binding this IdP cannot answer by: an error Response goes by HTTP-POST. */
  | { acs: AcsEndpoint; responseBinding: 'post'; unsupportedBinding: string }

const responseBindings: Record<string, ResponseBinding> = {
  [bindings.post]: 'post',
  [bindings.artifact]: 'artifact',
}

/**
 * saml-core §3.4.1: the request names its ACS by URL (with ProtocolBinding) or by index; the IdP
 * checks either against the SP's registered endpoints (saml-profiles §4.1.4.1), in order:
 *   1. AssertionConsumerServiceIndex comes alone (no URL, no ProtocolBinding)
 *   2. the binding asked for (ProtocolBinding, or the indexed endpoint's) is HTTP-POST or
 *      HTTP-Artifact; otherwise Requester/UnsupportedBinding to the SP's default HTTP-POST ACS
 *   3. the URL or index names a registered ACS of that binding; no URL and no index: the
 *      default HTTP-POST ACS, else the default HTTP-Artifact one
 * When the registration says `responseBinding: 'artifact'` (for SPs whose requests always say
 * HTTP-POST), a request for an HTTP-POST endpoint is answered by artifact at the SP's
 * HTTP-Artifact endpoint: the one at the same location, else the default one (saml-metadata
 * §2.2.2: an endpoint takes the binding it is registered for, and only that one).
 */
export function resolveAcs(request: AuthnRequest, sp: SpRegistration): ResolvedAcs {
  const { assertionConsumerServiceIndex: index, assertionConsumerServiceUrl: url } = request
  if (index !== undefined && (url !== undefined || request.protocolBinding !== undefined)) {
    throw new SsoError(
      'SAML_REQUEST_INVALID',
      'AssertionConsumerServiceIndex',
      'AssertionConsumerServiceIndex must not come with AssertionConsumerServiceURL or ProtocolBinding',
      { index },
    )
  }
  if (index !== undefined) {
    const acs = sp.assertionConsumerServices.find((candidate) => candidate.index === index)
    if (!acs) {
      throw new SsoError(
        'SAML_REQUEST_ACS_NOT_ALLOWED',
        'AssertionConsumerServiceIndex',
        'no ACS endpoint with this index is registered',
        { requested: index },
      )
    }
    return answerAt(acs, sp)
  }
  const binding = request.protocolBinding
  if (binding !== undefined && responseBindings[binding] === undefined) {
    return unsupported(binding, sp)
  }
  if (url !== undefined) {
    // No ProtocolBinding: the IdP picks one the SP registered at that URL, HTTP-POST first.
    const wanted = binding === undefined ? [bindings.post, bindings.artifact] : [binding]
    const acs = wanted
      .map((candidate) =>
        sp.assertionConsumerServices.find(
          (registered) => registered.location === url && registered.binding === candidate,
        ),
      )
      .find((found) => found !== undefined)
    if (!acs) {
      throw new SsoError(
        'SAML_REQUEST_ACS_NOT_ALLOWED',
        'AssertionConsumerServiceURL',
        'the ACS URL is not registered for this service provider with the requested binding',
        {
          requested: url,
          protocolBinding: binding ?? null,
          registered: sp.assertionConsumerServices.map(
            (candidate) => `${candidate.location} (${candidate.binding})`,
          ),
        },
      )
    }
    return answerAt(acs, sp)
  }
  const acs =
    binding === undefined
      ? (defaultAcs(sp, bindings.post) ?? defaultAcs(sp, bindings.artifact))
      : defaultAcs(sp, binding)
  if (!acs) {
    throw new SsoError(
      'SAML_REQUEST_ACS_NOT_ALLOWED',
      'AssertionConsumerService',
      'the service provider has no ACS endpoint for the requested binding',
      { issuer: sp.entityId, protocolBinding: binding ?? bindings.post },
    )
  }
  return answerAt(acs, sp)
}

/** How an ACS endpoint is answered. */
function answerAt(acs: AcsEndpoint, sp: SpRegistration): ResolvedAcs {
  const binding = responseBindings[acs.binding]
  if (binding === undefined) return unsupported(acs.binding, sp)
  if (binding === 'post' && sp.responseBinding === 'artifact') {
    return { acs: artifactEndpointFor(sp, acs.location), responseBinding: 'artifact' }
  }
  return { acs, responseBinding: binding }
}

/**
 * Where an IdP-initiated (unsolicited) Response goes: the default ACS of the binding the
 * registration answers by, else the default of the other one when the SP has only that.
 */
export function idpInitiatedAcs(sp: SpRegistration): {
  acs: AcsEndpoint
  responseBinding: ResponseBinding
} {
  const order: ResponseBinding[] =
    sp.responseBinding === 'artifact' ? ['artifact', 'post'] : ['post', 'artifact']
  for (const responseBinding of order) {
    const acs = defaultAcs(sp, responseBinding === 'post' ? bindings.post : bindings.artifact)
    if (acs) return { acs, responseBinding }
  }
  throw new SsoError(
    'SAML_REQUEST_ACS_NOT_ALLOWED',
    'AssertionConsumerService',
    'the SP has no HTTP-POST or HTTP-Artifact ACS',
    { sp: sp.entityId },
  )
}

/** The SP's HTTP-Artifact ACS at `location`, else its default one (registration guarantees one). */
function artifactEndpointFor(sp: SpRegistration, location: string): AcsEndpoint {
  const artifact = sp.assertionConsumerServices.filter((acs) => acs.binding === bindings.artifact)
  const found =
    artifact.find((acs) => acs.location === location) ?? defaultAcs(sp, bindings.artifact)
  if (!found) {
    throw new SsoError(
      'SAML_REQUEST_ACS_NOT_ALLOWED',
      'AssertionConsumerService',
      'responseBinding is artifact, but the SP has no HTTP-Artifact ACS',
      { sp: sp.entityId },
    )
  }
  return found
}

/** saml-core §3.2.2.2 UnsupportedBinding, said where it is safe to say it: the default POST ACS. */
function unsupported(binding: string, sp: SpRegistration): ResolvedAcs {
  const acs = defaultAcs(sp, bindings.post)
  if (!acs) {
    throw new SsoError(
      'SAML_REQUEST_BINDING_UNSUPPORTED',
      'ProtocolBinding',
      'the requested response binding is not supported, and the SP has no HTTP-POST ACS to say so',
      { protocolBinding: binding, supported: Object.keys(responseBindings) },
    )
  }
  return { acs, responseBinding: 'post', unsupportedBinding: binding }
}
