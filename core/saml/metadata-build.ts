import { ns } from '../xml/namespaces.ts'
import { writeXmlDocument, type XmlNode } from '../xml/write-document.ts'
import { protocolSupport } from './constants.ts'

/**
 * SAML metadata (saml-metadata-2.0-os) as both sides write and read it, and its writing; the
 * reading (metadata.ts) is apart, so that serving metadata does not load the XML parser.
 */
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
