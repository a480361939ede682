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

/**
 * A samlp:AuthnRequest (saml-core §3.4.1) asking for a Response at our ACS, by HTTP-POST unless
 * told. A connection sends the same request every time but for its ID and instant: its text is
 * written once with stand-ins in their places (a template per connection and kind of request),
 * and each request puts its own in them, byte for byte what the writer would write (the test
 * checks). A request for an authentication context is written in full.
 */
export function buildAuthnRequest(content: AuthnRequestContent): string {
  if (content.requestedAuthnContext || needsEscape.test(content.id)) return writeRequest(content)
  const key = templateKey(content)
  let template = templates.get(key)
  if (template === undefined) {
    template = templateFor(content)
    if (templates.size >= maxTemplates) templates.clear()
    templates.set(key, template)
  }
  if (template === null) return writeRequest(content)
  return template[0] + content.id + template[1] + isoInstant(content.issueInstant) + template[2]
}

// What the writer escapes in an attribute value: an ID with one of them is written in full.
const needsEscape = /[&<>"]/
// Stand-ins no setting holds (a template whose fixed text has one is not made: null).
const idStandIn = '\u0001'
const instantStandIn = '\u0002'
// One per connection and kind (passive, by artifact): a few; a bound all the same.
const maxTemplates = 32
const templates = new Map<string, readonly [string, string, string] | null>()

/** What a template is made of, unambiguously (JSON quotes each setting whatever it holds). */
function templateKey(content: AuthnRequestContent): string {
  return JSON.stringify([
    content.destination,
    content.issuer,
    content.acsUrl,
    content.protocolBinding ?? null,
    content.forceAuthn === true,
    content.isPassive === true,
  ])
}

function templateFor(content: AuthnRequestContent): readonly [string, string, string] | null {
  // The instant's stand-in goes in as text: isoInstant is applied to it per request.
  const text = compose(content, idStandIn, instantStandIn)
  const [before, rest, ...moreIds] = text.split(idStandIn)
  if (before === undefined || rest === undefined || moreIds.length > 0) return null
  const [middle, after, ...moreInstants] = rest.split(instantStandIn)
  if (middle === undefined || after === undefined || moreInstants.length > 0) return null
  if (before.includes(instantStandIn)) return null
  return [before, middle, after]
}

function writeRequest(content: AuthnRequestContent): string {
  return compose(content, content.id, isoInstant(content.issueInstant))
}

function compose(content: AuthnRequestContent, id: string, issueInstant: string): string {
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
      ID: id,
      Version: '2.0',
      IssueInstant: issueInstant,
      Destination: content.destination,
      AssertionConsumerServiceURL: content.acsUrl,
      ProtocolBinding: content.protocolBinding ?? bindings.post,
      ...(content.forceAuthn ? { ForceAuthn: 'true' } : {}),
      ...(content.isPassive ? { IsPassive: 'true' } : {}),
    },
    children,
  })
}
