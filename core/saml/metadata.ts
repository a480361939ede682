import type { Element } from '@xmldom/xmldom'
import { create } from 'xmlbuilder2'
import { SsoError } from '../errors/index.ts'
import { attr, childElements, firstChildElement, ns, parseXml, textContent } from '../xml/index.ts'
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
  const root = create({ version: '1.0', encoding: 'UTF-8' }).ele(ns.md, 'md:EntityDescriptor', {
    entityID: meta.entityId,
  })
  const role = root.ele(ns.md, 'md:IDPSSODescriptor', {
    WantAuthnRequestsSigned: String(meta.wantAuthnRequestsSigned),
    protocolSupportEnumeration: protocolSupport,
  })
  addIdpExtensions(role, meta)
  addKeyDescriptors(role, meta.signingCertificates)
  addEndpoints(role, 'md:ArtifactResolutionService', meta.artifactResolutionServices)
  addEndpoints(role, 'md:SingleLogoutService', meta.singleLogoutServices)
  for (const format of meta.nameIdFormats) role.ele(ns.md, 'md:NameIDFormat').txt(format)
  addEndpoints(role, 'md:SingleSignOnService', meta.singleSignOnServices)
  return root.end({ prettyPrint: true })
}

export function buildSpMetadata(meta: SpMetadata): string {
  const root = create({ version: '1.0', encoding: 'UTF-8' }).ele(ns.md, 'md:EntityDescriptor', {
    entityID: meta.entityId,
  })
  const role = root.ele(ns.md, 'md:SPSSODescriptor', {
    AuthnRequestsSigned: String(meta.authnRequestsSigned),
    WantAssertionsSigned: String(meta.wantAssertionsSigned),
    protocolSupportEnumeration: protocolSupport,
  })
  addKeyDescriptors(role, meta.signingCertificates)
  addEncryptionKeyDescriptors(role, meta.encryptionCertificates ?? [], meta.encryptionMethods ?? [])
  addEndpoints(role, 'md:SingleLogoutService', meta.singleLogoutServices)
  for (const format of meta.nameIdFormats) role.ele(ns.md, 'md:NameIDFormat').txt(format)
  addEndpoints(role, 'md:AssertionConsumerService', meta.assertionConsumerServices)
  return root.end({ prettyPrint: true })
}

type Builder = ReturnType<ReturnType<typeof create>['ele']>

/** saml-metadata §2.4.1: Extensions come first in a role descriptor. */
function addIdpExtensions(role: Builder, meta: IdpMetadata): void {
  const scopes = meta.scopes ?? []
  const digests = meta.digestMethods ?? []
  const signing = meta.signingMethods ?? []
  if (scopes.length + digests.length + signing.length === 0) return
  const extensions = role.ele(ns.md, 'md:Extensions')
  for (const scope of scopes) {
    extensions.ele(ns.shibmd, 'shibmd:Scope', { regexp: 'false' }).txt(scope)
  }
  // algsupport §2.3: DigestMethod elements first, then SigningMethod, most preferred first.
  for (const algorithm of digests) {
    extensions.ele(ns.alg, 'alg:DigestMethod', { Algorithm: algorithm })
  }
  for (const algorithm of signing) {
    extensions.ele(ns.alg, 'alg:SigningMethod', { Algorithm: algorithm })
  }
}

function addKeyDescriptors(role: Builder, certificates: string[]): void {
  for (const certificate of certificates) {
    role
      .ele(ns.md, 'md:KeyDescriptor', { use: 'signing' })
      .ele(ns.ds, 'ds:KeyInfo')
      .ele(ns.ds, 'ds:X509Data')
      .ele(ns.ds, 'ds:X509Certificate')
      .txt(certificate)
  }
}

function addEncryptionKeyDescriptors(role: Builder, certificates: string[], methods: string[]) {
  for (const certificate of certificates) {
    const descriptor = role.ele(ns.md, 'md:KeyDescriptor', { use: 'encryption' })
    descriptor
      .ele(ns.ds, 'ds:KeyInfo')
      .ele(ns.ds, 'ds:X509Data')
      .ele(ns.ds, 'ds:X509Certificate')
      .txt(certificate)
    for (const algorithm of methods) {
      descriptor.ele(ns.md, 'md:EncryptionMethod', { Algorithm: algorithm })
    }
  }
}

function addEndpoints(role: Builder, name: string, endpoints: Endpoint[]): void {
  for (const endpoint of endpoints) {
    const attrs: Record<string, string> = { Binding: endpoint.binding, Location: endpoint.location }
    if (endpoint.responseLocation !== undefined) attrs.ResponseLocation = endpoint.responseLocation
    if (endpoint.index !== undefined) attrs.index = String(endpoint.index)
    if (endpoint.isDefault !== undefined) attrs.isDefault = String(endpoint.isDefault)
    role.ele(ns.md, name, attrs)
  }
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
