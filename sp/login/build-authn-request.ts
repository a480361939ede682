import type { RequestedContext } from '../../core/authn-context/requested-context.ts'
import { isoInstant } from '../../core/clock/index.ts'
import { bindings } from '../../core/saml/constants.ts'
import { ns } from '../../core/xml/index.ts'
import { writeXmlElement, type XmlNode } from '../../core/xml/write-document.ts'

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
  const children: XmlNode[] = [
    { name: 'saml:Issuer', namespace: ns.saml, text: content.issuer },
    { name: 'samlp:NameIDPolicy', namespace: ns.samlp, attributes: { AllowCreate: 'true' } },
  ]
  const requested = content.requestedAuthnContext
  if (requested) {
    children.push({
      name: 'samlp:RequestedAuthnContext',
      namespace: ns.samlp,
      attributes: { Comparison: requested.comparison },
      children: requested.classRefs.map((classRef) => ({
        name: 'saml:AuthnContextClassRef',
        namespace: ns.saml,
        text: classRef,
      })),
    })
  }
  return writeXmlElement({
    name: 'samlp:AuthnRequest',
    namespace: ns.samlp,
    namespaces: { saml: ns.saml },
    attributes: {
      ID: content.id,
      Version: '2.0',
      IssueInstant: isoInstant(content.issueInstant),
      Destination: content.destination,
      AssertionConsumerServiceURL: content.acsUrl,
      ProtocolBinding: content.protocolBinding ?? bindings.post,
      ...(content.forceAuthn ? { ForceAuthn: 'true' } : {}),
      ...(content.isPassive ? { IsPassive: 'true' } : {}),
    },
    children,
  })
}
