import { create } from 'xmlbuilder2'
import type { RequestedContext } from '../../core/authn-context/requested-context.ts'
import { isoInstant } from '../../core/clock/index.ts'
import { bindings } from '../../core/saml/constants.ts'
import { ns } from '../../core/xml/index.ts'

export interface AuthnRequestContent {
  id: string
  issueInstant: number
  destination: string
  issuer: string
  acsUrl: string
  forceAuthn?: boolean
  isPassive?: boolean
  /** The binding the Response should come by (default HTTP-POST). */
  protocolBinding?: string
  /** The campaign's or agent site's required context (saml-core §3.3.2.2.1). */
  requestedAuthnContext?: RequestedContext | undefined
}

/** A samlp:AuthnRequest (saml-core §3.4.1) asking for a Response at our ACS, by HTTP-POST unless told. */
export function buildAuthnRequest(content: AuthnRequestContent): string {
  const root = create().ele(ns.samlp, 'samlp:AuthnRequest', {
    'xmlns:saml': ns.saml,
    ID: content.id,
    Version: '2.0',
    IssueInstant: isoInstant(content.issueInstant),
    Destination: content.destination,
    AssertionConsumerServiceURL: content.acsUrl,
    ProtocolBinding: content.protocolBinding ?? bindings.post,
    ...(content.forceAuthn ? { ForceAuthn: 'true' } : {}),
    ...(content.isPassive ? { IsPassive: 'true' } : {}),
  })
  root.ele(ns.saml, 'saml:Issuer').txt(content.issuer)
  root.ele(ns.samlp, 'samlp:NameIDPolicy', { AllowCreate: 'true' })
  const requested = content.requestedAuthnContext
  if (requested) {
    const element = root.ele(ns.samlp, 'samlp:RequestedAuthnContext', {
      Comparison: requested.comparison,
    })
    for (const classRef of requested.classRefs) {
      element.ele(ns.saml, 'saml:AuthnContextClassRef').txt(classRef)
    }
  }
  return root.end({ headless: true })
}
