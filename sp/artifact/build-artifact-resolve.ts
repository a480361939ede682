import { create } from 'xmlbuilder2'
import { isoInstant } from '../../core/clock/index.ts'
import { ns } from '../../core/xml/index.ts'
import { signElement } from '../../core/xmldsig/index.ts'

export interface ArtifactResolveContent {
  id: string
  issueInstant: number
  /** The IdP's ArtifactResolutionService URL. */
  destination: string
  issuer: string
  artifact: string
}

/** A samlp:ArtifactResolve (saml-core §3.5.1), signed with the SP's key so the IdP knows who asks. */
export function buildArtifactResolve(
  content: ArtifactResolveContent,
  signing: { privateKeyPem: string; certificatePem: string },
): string {
  const root = create().ele(ns.samlp, 'samlp:ArtifactResolve', {
    'xmlns:saml': ns.saml,
    ID: content.id,
    Version: '2.0',
    IssueInstant: isoInstant(content.issueInstant),
    Destination: content.destination,
  })
  root.ele(ns.saml, 'saml:Issuer').txt(content.issuer)
  root.ele(ns.samlp, 'samlp:Artifact').txt(content.artifact)
  return signElement(root.end({ headless: true }), { id: content.id, ...signing })
}
