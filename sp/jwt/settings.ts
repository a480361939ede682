import { createPublicKey, type KeyObject } from 'node:crypto'
import * as z from 'zod'
import { SsoError } from '../../core/errors/index.ts'
import { isHmacAlgorithm, jwsAlgorithms } from '../../core/jwt/algorithms.ts'
import { parseCertificate } from '../../core/keys/index.ts'

const httpUrl = z.url({ protocol: /^https?$/ })

/**
 * JWT token SSO at the reference SP, as the seeds name the settings (Comm100: remote login URL
 * and the IdP's certificate; inSided: sign-on and sign-off endpoints, the public key).
 */
export const spJwtSettingsSchema = z
  .object({
    /** Remote login URL; the SP appends `return_url`. May be empty when the IdP signs visitors in from page JavaScript. */
    loginUrl: httpUrl.optional(),
    /** Sign-off URL; visitor logout goes there with `return_url`. */
    logoutUrl: httpUrl.optional(),
    /** The IdP's verification keys: PEM (or base64 DER) certificates, or PEM public keys. */
    certificates: z.array(z.string().min(1)).default([]),
    /** Or a JWKS URL (fetched through the SP's fetch, cached, refreshed once on an unknown kid). */
    jwksUrl: httpUrl.optional(),
    /** The HS* shared secret (at least 32 bytes). */
    secret: z.string().min(32).optional(),
    /** Accepted algorithms (default RS256 only); HS* needs `secret`, the others a key. */
    algorithms: z.array(z.enum(jwsAlgorithms)).min(1).default(['RS256']),
    /** Expected `iss`, compared exactly; unset: any. */
    issuer: z.string().min(1).optional(),
    /** Expected `aud`; unset: not checked. */
    audience: z.string().min(1).optional(),
    /** Allowed clock difference for exp/nbf/iat (default: the SP's clockSkewMs). */
    clockSkewMs: z.number().int().nonnegative().optional(),
    /**
     * Standard claim name → the name the IdP's tokens use (e.g. `{"id": "member_id", "email":
     * "email_address"}`), as `oidc.claimNames`; the protocol claims (iss, aud, exp…) keep theirs.
     */
    claimNames: z.record(z.string(), z.string().min(1)).default({}),
    /** Tokens larger than this are refused (default 8 KiB). */
    maxTokenBytes: z.number().int().positive().default(8192),
    /** How long the JWKS URL may take (default 5 s). */
    jwksTimeoutMs: z.number().int().positive().default(5000),
  })
  .strict()
  .superRefine((settings, ctx) => {
    const hmac = settings.algorithms.some(isHmacAlgorithm)
    const asymmetric = settings.algorithms.some((alg) => !isHmacAlgorithm(alg))
    if (hmac && settings.secret === undefined) {
      ctx.addIssue({
        code: 'custom',
        path: ['secret'],
        message: 'HS* algorithms need a shared secret',
      })
    }
    if (asymmetric && settings.certificates.length === 0 && settings.jwksUrl === undefined) {
      ctx.addIssue({
        code: 'custom',
        path: ['certificates'],
        message: 'RS/PS/ES algorithms need the IdP certificate (or public key) or a jwksUrl',
      })
    }
    settings.certificates.forEach((text, index) => {
      try {
        readPublicKey(text)
      } catch (error) {
        if (!(error instanceof SsoError)) throw error
        ctx.addIssue({ code: 'custom', path: ['certificates', index], message: error.reason })
      }
    })
  })

export type SpJwtSettings = z.input<typeof spJwtSettingsSchema>
export type ResolvedSpJwtSettings = z.output<typeof spJwtSettingsSchema>

/** A verification key from configuration: a certificate (PEM or base64 DER) or a PEM public key. */
export function readPublicKey(text: string): KeyObject {
  if (text.includes('PRIVATE KEY')) {
    throw new SsoError(
      'CONFIG_INVALID',
      'certificates',
      'give the IdP public key or certificate, never a private key',
      {},
    )
  }
  if (text.includes('BEGIN PUBLIC KEY')) {
    try {
      return createPublicKey(text)
    } catch {
      throw new SsoError('CONFIG_INVALID', 'certificates', 'the PEM public key cannot be read', {})
    }
  }
  return parseCertificate(text).publicKey
}
