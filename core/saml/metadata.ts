import type { Element } from '@xmldom/xmldom'
import { SsoError } from '../errors/index.ts'
import { attr, childElements, firstChildElement, ns, parseXml, textContent } from '../xml/index.ts'
import { writeXmlDocument, type XmlNode } from '../xml/write-document.ts'
import { protocolSupport } from './constants.ts'

/** SAML metadata (saml-metadata-2.0-os) as both sides write and read it. */
export interface Endpoint {
  binding: string
  location: string
  /** saml-metadata §2.2.2: where responses to this endpoint go, when not `location`. */
  responseLocation?: string
  index?: number
  isDefault?: boolean
}

export interface IdpMetadata {
  entityId: string
  signingCertificates: string[]
  singleSignOnServices: Endpoint[]
  singleLogoutServices: Endpoint[]
  artifactResolutionServices: Endpoint[]
  wantAuthnRequestsSigned: boolean
  nameIdFormats: string[]
  /**
   * The IdP's scopes (shibmd:Scope): the domains after the `@` of its scoped attributes
   * (eduPersonPrincipalName, subject-id), which SPs such as Shibboleth check values against.
   */
  scopes?: string[]
  /** Algorithms the IdP supports (alg:DigestMethod, alg:SigningMethod; sstc-saml-metadata-algsupport). */
  digestMethods?: string[]
  signingMethods?: string[]
}

export interface SpMetadata {
  entityId: string
  signingCertificates: string[]
  /** KeyDescriptor use="encryption" (parsed: also those without `use`, saml-metadata §2.4.1.1). */
  encryptionCertificates?: string[]
  /** md:EncryptionMethod algorithms the SP accepts, listed in its encryption KeyDescriptors. */
  encryptionMethods?: string[]
  assertionConsumerServices: Endpoint[]
  singleLogoutServices: Endpoint[]
  authnRequestsSigned: boolean
  wantAssertionsSigned: boolean
  nameIdFormats: string[]
}

export function buildIdpMetadata(meta: IdpMetadata): string {
  return writeXmlDocument(
    md('EntityDescriptor', { entityID: meta.entityId }, [
      md(
        'IDPSSODescriptor',
        {
          WantAuthnRequestsSigned: String(meta.wantAuthnRequestsSigned),
          protocolSupportEnumeration: protocolSupport,
        },
        [
          ...idpExtensions(meta),
          ...keyDescriptors(meta.signingCertificates),
          ...endpointElements('ArtifactResolutionService', meta.artifactResolutionServices),
          ...endpointElements('SingleLogoutService', meta.singleLogoutServices),
          ...nameIdFormats(meta.nameIdFormats),
          ...endpointElements('SingleSignOnService', meta.singleSignOnServices),
        ],
      ),
    ]),
  )
}

export function buildSpMetadata(meta: SpMetadata): string {
  return writeXmlDocument(
    md('EntityDescriptor', { entityID: meta.entityId }, [
      md(
        'SPSSODescriptor',
        {
          AuthnRequestsSigned: String(meta.authnRequestsSigned),
          WantAssertionsSigned: String(meta.wantAssertionsSigned),
          protocolSupportEnumeration: protocolSupport,
        },
        [
          ...keyDescriptors(meta.signingCertificates),
          ...encryptionKeyDescriptors(
            meta.encryptionCertificates ?? [],
            meta.encryptionMethods ?? [],
          ),
          ...endpointElements('SingleLogoutService', meta.singleLogoutServices),
          ...nameIdFormats(meta.nameIdFormats),
          ...endpointElements('AssertionConsumerService', meta.assertionConsumerServices),
        ],
      ),
    ]),
  )
}

function md(
  name: string,
  attributes: Record<string, string> = {},
  children: XmlNode[] = [],
  text?: string,
): XmlNode {
  return { name: `md:${name}`, namespace: ns.md, attributes, children, ...(text ? { text } : {}) }
}

/** saml-metadata §2.4.1: Extensions come first in a role descriptor. */
function idpExtensions(meta: IdpMetadata): XmlNode[] {
  const scopes = meta.scopes ?? []
  const digests = meta.digestMethods ?? []
  const signing = meta.signingMethods ?? []
  if (scopes.length + digests.length + signing.length === 0) return []
  const algorithm = (name: string, uri: string): XmlNode => ({
    name: `alg:${name}`,
    namespace: ns.alg,
    attributes: { Algorithm: uri },
  })
  return [
    md('Extensions', {}, [
      ...scopes.map(
        (scope): XmlNode => ({
          name: 'shibmd:Scope',
          namespace: ns.shibmd,
          attributes: { regexp: 'false' },
          text: scope,
        }),
      ),
      // algsupport §2.3: DigestMethod elements first, then SigningMethod, most preferred first.
      ...digests.map((uri) => algorithm('DigestMethod', uri)),
      ...signing.map((uri) => algorithm('SigningMethod', uri)),
    ]),
  ]
}

function keyInfo(certificate: string): XmlNode {
  const ds = (name: string, children: XmlNode[], text?: string): XmlNode => ({
    name: `ds:${name}`,
    namespace: ns.ds,
    children,
    ...(text ? { text } : {}),
  })
  return ds('KeyInfo', [ds('X509Data', [ds('X509Certificate', [], certificate)])])
}

function keyDescriptors(certificates: string[]): XmlNode[] {
  return certificates.map((certificate) =>
    md('KeyDescriptor', { use: 'signing' }, [keyInfo(certificate)]),
  )
}

function encryptionKeyDescriptors(certificates: string[], methods: string[]): XmlNode[] {
  return certificates.map((certificate) =>
    md('KeyDescriptor', { use: 'encryption' }, [
      keyInfo(certificate),
      ...methods.map((algorithm) => md('EncryptionMethod', { Algorithm: algorithm })),
    ]),
  )
}

function nameIdFormats(formats: string[]): XmlNode[] {
  return formats.map((format) => md('NameIDFormat', {}, [], format))
}

function endpointElements(name: string, list: Endpoint[]): XmlNode[] {
  return list.map((endpoint) => {
    const attrs: Record<string, string> = { Binding: endpoint.binding, Location: endpoint.location }
    if (endpoint.responseLocation !== undefined) attrs.ResponseLocation = endpoint.responseLocation
    if (endpoint.index !== undefined) attrs.index = String(endpoint.index)
    if (endpoint.isDefault !== undefined) attrs.isDefault = String(endpoint.isDefault)
    return md(name, attrs)
  })
}

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
