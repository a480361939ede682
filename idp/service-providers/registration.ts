import * as z from 'zod'
import { SsoError } from '../../core/errors/index.ts'
import { parseCertificate } from '../../core/keys/index.ts'
import { bindings } from '../../core/saml/constants.ts'
import {
  contentEncryptionAlgorithms,
  readEncryptionCertificate,
} from '../../core/saml/encryption-settings.ts'
import { attributeProfiles } from '../response/attribute-profiles.ts'

const endpointSchema = z
  .object({
    location: z.url(),
    binding: z.string().default(bindings.post),
    /** saml-metadata §2.2.2: where responses go, when not `location` (SingleLogoutService). */
    responseLocation: z.url().optional(),
    index: z.number().int().nonnegative().optional(),
    isDefault: z.boolean().optional(),
  })
  .strict()

const nameIdFormatNames = ['unspecified', 'emailAddress', 'persistent', 'transient'] as const

/** A service provider the IdP will answer, from config or from its SAML metadata. */
export const spRegistrationSchema = z
  .object({
    entityId: z.string().min(1),
    /** The ACS URLs registered for the SP; a request may only name one of these. */
    assertionConsumerServices: z.array(endpointSchema).min(1),
    /**
     * The SP's signing certificates (PEM or base64 DER): they verify what it signs and, over
     * `serve --tls`, authenticate it as a TLS client of the ArtifactResolutionService.
     */
    certificates: z.array(z.string()).default([]),
    /** Refuse AuthnRequests that are not signed (metadata AuthnRequestsSigned). */
    requireSignedAuthnRequests: z.boolean().default(false),
    signResponse: z.boolean().default(true),
    signAssertion: z.boolean().default(true),
    /** The SP's encryption certificates (metadata KeyDescriptor use="encryption"); the first is used. */
    encryptionCertificates: z.array(z.string()).default([]),
    /** Encrypt the Assertion to the SP (saml-core §2.3.4): signed first, then encrypted. */
    encryptAssertion: z.boolean().default(false),
    /** Content encryption; the content key always travels under RSA-OAEP. */
    encryptionAlgorithm: z.enum(contentEncryptionAlgorithms).default('aes256-gcm'),
    /** How the Response reaches the ACS: HTTP-POST, or HTTP-Artifact (resolved over SOAP). */
    responseBinding: z.enum(['post', 'artifact']).default('post'),
    /** With HTTP-Artifact, how SAMLart reaches the ACS: a 302 redirect (GET) or a self-submitting form. */
    artifactDelivery: z.enum(['redirect', 'post']).default('redirect'),
    /** The NameID format sent when the request asks for none (or for unspecified). */
    nameIdFormat: z.enum(nameIdFormatNames).default('unspecified'),
    /**
     * The formats the SP may ask for in NameIDPolicy (its metadata's NameIDFormat elements);
     * absent: all four. `nameIdFormat` is always allowed. Others get InvalidNameIDPolicy.
     */
    nameIdFormats: z.array(z.enum(nameIdFormatNames)).optional(),
    /** How long the assertion may be delivered and used (Conditions and SubjectConfirmationData). */
    assertionLifetimeSeconds: z.number().int().positive().default(300),
    allowIdpInitiated: z.boolean().default(true),
    /** Attribute names and NameFormat (response/attribute-profiles.ts): basic, uri, or both. */
    attributeProfile: z.enum(attributeProfiles).default('basic+uri'),
    /**
     * UNSAFE, opt-in: accept SHA-1 (RSA-SHA1 signatures, SHA-1 digests) in what this SP signs
     * (AuthnRequest, LogoutRequest/Response, ArtifactResolve), each logged as a warning. For SPs
     * that cannot sign otherwise; every other SP is still held to SHA-256 or stronger.
     */
    legacyCrypto: z.boolean().default(false),
    /** The SP's SingleLogoutService endpoints (HTTP-Redirect or HTTP-POST); none: no single logout. */
    singleLogoutServices: z.array(endpointSchema).default([]),
  })
  .strict()
  .superRefine(checkSigningCertificates)
  .superRefine(checkArtifactEndpoint)
  .superRefine(checkEncryptionCertificate)

export type SpRegistration = z.output<typeof spRegistrationSchema>
export type SpRegistrationInput = z.input<typeof spRegistrationSchema>
export type AcsEndpoint = SpRegistration['assertionConsumerServices'][number]

/** Signing certificates are read at registration, so a bad one is a clear config error, never a 5xx later. */
function checkSigningCertificates(sp: { certificates: string[] }, ctx: z.RefinementCtx): void {
  sp.certificates.forEach((certificate, index) => {
    try {
      parseCertificate(certificate)
    } catch (error) {
      if (!(error instanceof SsoError)) throw error
      ctx.addIssue({ code: 'custom', path: ['certificates', index], message: error.reason })
    }
  })
}

/** saml-metadata §2.2.2: an artifact goes only to an endpoint registered for HTTP-Artifact. */
function checkArtifactEndpoint(
  sp: { responseBinding: string; assertionConsumerServices: { binding: string }[] },
  ctx: z.RefinementCtx,
): void {
  if (sp.responseBinding !== 'artifact') return
  if (sp.assertionConsumerServices.some((acs) => acs.binding === bindings.artifact)) return
  ctx.addIssue({
    code: 'custom',
    path: ['responseBinding'],
    message: `responseBinding "artifact" needs an AssertionConsumerService with the binding ${bindings.artifact}`,
  })
}

/** An SP that wants encrypted assertions needs an RSA encryption certificate, checked at registration. */
function checkEncryptionCertificate(
  sp: { encryptAssertion: boolean; encryptionCertificates: string[] },
  ctx: z.RefinementCtx,
): void {
  if (!sp.encryptAssertion) return
  const [certificate] = sp.encryptionCertificates
  if (certificate === undefined) {
    ctx.addIssue({
      code: 'custom',
      path: ['encryptionCertificates'],
      message:
        'encryptAssertion needs the SP encryption certificate (KeyDescriptor use="encryption" in its metadata)',
    })
    return
  }
  try {
    readEncryptionCertificate(certificate)
  } catch (error) {
    if (!(error instanceof SsoError)) throw error
    ctx.addIssue({ code: 'custom', path: ['encryptionCertificates', 0], message: error.reason })
  }
}

/** saml-metadata §2.2.3: the endpoint marked isDefault, else the first without isDefault=false, else the first. */
export function defaultAcs(
  sp: SpRegistration,
  binding: string = bindings.post,
): AcsEndpoint | undefined {
  const candidates = sp.assertionConsumerServices.filter((acs) => acs.binding === binding)
  return (
    candidates.find((acs) => acs.isDefault === true) ??
    candidates.find((acs) => acs.isDefault === undefined) ??
    candidates[0]
  )
}
