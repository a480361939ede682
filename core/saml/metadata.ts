import type { Element } from '@xmldom/xmldom'
import { SsoError } from '../errors/index.ts'
import { attr, childElements, firstChildElement, ns, parseXml, textContent } from '../xml/index.ts'
import type { Endpoint, IdpMetadata, SpMetadata } from './metadata-build.ts'

/** Reads SAML metadata (saml-metadata-2.0-os); metadata-build.ts writes it. */
export function parseIdpMetadata(xml: string): IdpMetadata {
  const { entityId, role } = findRole(xml, 'IDPSSODescriptor')
  return {
    entityId,
    signingCertificates: signingCertificates(role),
    singleSignOnServices: endpoints(role, 'SingleSignOnService'),
    singleLogoutServices: endpoints(role, 'SingleLogoutService'),
    artifactResolutionServices: endpoints(role, 'ArtifactResolutionService'),
    wantAuthnRequestsSigned: attr(role, 'WantAuthnRequestsSigned') === 'true',
    nameIdFormats: childElements(role, ns.md, 'NameIDFormat').map((el) => textContent(el).trim()),
  }
}

export function parseSpMetadata(xml: string): SpMetadata {
  const { entityId, role } = findRole(xml, 'SPSSODescriptor')
  const acs = endpoints(role, 'AssertionConsumerService')
  if (acs.length === 0) {
    throw metadataError('the SPSSODescriptor lists no AssertionConsumerService', {})
  }
  return {
    entityId,
    signingCertificates: signingCertificates(role),
    ...encryptionKeys(role),
    assertionConsumerServices: acs,
    singleLogoutServices: endpoints(role, 'SingleLogoutService'),
    authnRequestsSigned: attr(role, 'AuthnRequestsSigned') === 'true',
    wantAssertionsSigned: attr(role, 'WantAssertionsSigned') === 'true',
    nameIdFormats: childElements(role, ns.md, 'NameIDFormat').map((el) => textContent(el).trim()),
  }
}

function findRole(xml: string, roleName: string): { entityId: string; role: Element } {
  const root = parseXml(xml).documentElement
  if (!root) throw metadataError('the metadata has no root element', {})
  const descriptors =
    root.namespaceURI === ns.md && root.localName === 'EntitiesDescriptor'
      ? childElements(root, ns.md, 'EntityDescriptor')
      : [root]
  for (const descriptor of descriptors) {
    if (descriptor.namespaceURI !== ns.md || descriptor.localName !== 'EntityDescriptor') continue
    const role = firstChildElement(descriptor, ns.md, roleName)
    const entityId = attr(descriptor, 'entityID')
    if (role && entityId) return { entityId, role }
  }
  throw metadataError(`the metadata holds no EntityDescriptor with an ${roleName}`, {
    role: roleName,
  })
}

function signingCertificates(role: Element): string[] {
  const certificates: string[] = []
  for (const descriptor of childElements(role, ns.md, 'KeyDescriptor')) {
    const use = attr(descriptor, 'use')
    if (use !== undefined && use !== 'signing') continue
    certificates.push(...x509Certificates(descriptor))
  }
  return certificates
}

function encryptionKeys(role: Element): {
  encryptionCertificates: string[]
  encryptionMethods: string[]
} {
  const encryptionCertificates: string[] = []
  const encryptionMethods: string[] = []
  for (const descriptor of childElements(role, ns.md, 'KeyDescriptor')) {
    const use = attr(descriptor, 'use')
    if (use !== undefined && use !== 'encryption') continue
    encryptionCertificates.push(...x509Certificates(descriptor))
    for (const method of childElements(descriptor, ns.md, 'EncryptionMethod')) {
      const algorithm = attr(method, 'Algorithm')
      if (algorithm && !encryptionMethods.includes(algorithm)) encryptionMethods.push(algorithm)
    }
  }
  return { encryptionCertificates, encryptionMethods }
}

function x509Certificates(descriptor: Element): string[] {
  const keyInfo = firstChildElement(descriptor, ns.ds, 'KeyInfo')
  return (keyInfo ? childElements(keyInfo, ns.ds, 'X509Data') : []).flatMap((data) =>
    childElements(data, ns.ds, 'X509Certificate').map((cert) =>
      textContent(cert).replace(/\s+/g, ''),
    ),
  )
}

function endpoints(role: Element, name: string): Endpoint[] {
  return childElements(role, ns.md, name).flatMap((el) => {
    const binding = attr(el, 'Binding')
    const location = attr(el, 'Location')
    if (!binding || !location) return []
    const responseLocation = attr(el, 'ResponseLocation')
    const index = attr(el, 'index')
    const isDefault = attr(el, 'isDefault')
    return [
      {
        binding,
        location,
        ...(responseLocation ? { responseLocation } : {}),
        ...(index !== undefined ? { index: Number(index) } : {}),
        ...(isDefault !== undefined ? { isDefault: isDefault === 'true' } : {}),
      },
    ]
  })
}

function metadataError(reason: string, evidence: Record<string, string>): SsoError {
  return new SsoError('CONFIG_INVALID', 'metadata', reason, evidence)
}
