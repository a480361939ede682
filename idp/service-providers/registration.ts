import { z } from 'zod'
import { bindings } from '../../core/saml/constants.ts'

const endpointSchema = z
  .object({
    location: z.url(),
    binding: z.string().default(bindings.post),
    index: z.number().int().nonnegative().optional(),
    isDefault: z.boolean().optional(),
  })
  .strict()

/** A service provider the IdP will answer, from config or from its SAML metadata. */
export const spRegistrationSchema = z
  .object({
    entityId: z.string().min(1),
    /** The ACS URLs registered for the SP; a request may only name one of these. */
    assertionConsumerServices: z.array(endpointSchema).min(1),
    /** The SP's signing certificates (PEM or base64 DER), to verify signed AuthnRequests. */
    certificates: z.array(z.string()).default([]),
    /** Refuse AuthnRequests that are not signed (metadata AuthnRequestsSigned). */
    requireSignedAuthnRequests: z.boolean().default(false),
    signResponse: z.boolean().default(true),
    signAssertion: z.boolean().default(true),
    nameIdFormat: z
      .enum(['unspecified', 'emailAddress', 'persistent', 'transient'])
      .default('unspecified'),
    /** How long the assertion may be delivered and used (Conditions and SubjectConfirmationData). */
    assertionLifetimeSeconds: z.number().int().positive().default(300),
    allowIdpInitiated: z.boolean().default(true),
  })
  .strict()

export type SpRegistration = z.output<typeof spRegistrationSchema>
export type SpRegistrationInput = z.input<typeof spRegistrationSchema>
export type AcsEndpoint = SpRegistration['assertionConsumerServices'][number]

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
