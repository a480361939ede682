import { create } from 'xmlbuilder2'
import { isoInstant } from '../../core/clock/index.ts'
import { ns, parseXml, serializeXml } from '../../core/xml/index.ts'
import { signElement } from '../../core/xmldsig/index.ts'

export interface ArtifactResponseContent {
  id: string
  issuer: string
  inResponseTo: string | undefined
  issueInstant: number
  status: { code: string; subCode?: string; message?: string }
  /** The stored protocol message; absent for an empty response (saml-core §3.5.3). */
  messageXml?: string
}

/**
 * A samlp:ArtifactResponse (saml-core §3.5.2) wrapping the stored message, signed by the IdP.
 * The message keeps its own signatures: it is moved in as parsed nodes, not re-built.
 */
export function buildArtifactResponse(
  content: ArtifactResponseContent,
  signing: { privateKeyPem: string; certificatePem: string },
): string {
  const root = create().ele(ns.samlp, 'samlp:ArtifactResponse', {
    'xmlns:saml': ns.saml,
    ID: content.id,
    Version: '2.0',
    IssueInstant: isoInstant(content.issueInstant),
    ...(content.inResponseTo ? { InResponseTo: content.inResponseTo } : {}),
  })
  root.ele(ns.saml, 'saml:Issuer').txt(content.issuer)
  const status = root.ele(ns.samlp, 'samlp:Status')
  const code = status.ele(ns.samlp, 'samlp:StatusCode', { Value: content.status.code })
  if (content.status.subCode)
    code.ele(ns.samlp, 'samlp:StatusCode', { Value: content.status.subCode })
  if (content.status.message)
    status.ele(ns.samlp, 'samlp:StatusMessage').txt(content.status.message)

  let xml = root.end({ headless: true })
  if (content.messageXml !== undefined) {
    const doc = parseXml(xml)
    const message = parseXml(content.messageXml).documentElement
    doc.documentElement?.appendChild(doc.importNode(message, true))
    xml = serializeXml(doc)
  }
  return signElement(xml, { id: content.id, ...signing })
}
