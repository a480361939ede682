import * as z from 'zod'
import { parseConfig } from '../../core/config/parse-config.ts'
import type { RecordTable } from '../store/record-table.ts'
import { createSeededRegistry } from '../store/seeded-registry.ts'

const httpUrl = z.url({ protocol: /^https?$/ })

/**
 * A service provider that signs visitors in with a JWT (inSided "token" SSO, Comm100 JWT visitor
 * SSO): the IdP redirects to its return_url with `?token=<JWT>` appended.
 */
export const jwtSpRegistrationSchema = z
  .object({
    /** A name for the SP at the IdP (`?sp=` of the JavaScript hand-over); the default audience. */
    id: z.string().min(1).max(200),
    /**
     * Where return_url may point: absolute URLs, each a prefix (same origin, and the path equal
     * or below it). The IdP redirects nowhere else.
     */
    returnUrls: z.array(httpUrl).min(1),
    /** RS256 (the IdP's RSA key), ES256 (its P-256 key) or HS256 with `secret`. */
    algorithm: z.enum(['RS256', 'ES256', 'HS256']).default('RS256'),
    /** The HS256 shared secret, at least 32 bytes (RFC 7518 §3.2). */
    secret: z.string().min(32).optional(),
    /** `iss`; default: the IdP's issuer (its base URL). */
    issuer: z.string().min(1).optional(),
    /** `aud`; default: `id`. */
    audience: z.string().min(1).optional(),
    /**
     * Claim name → the name this SP reads it under (e.g. `{ id: member_id }`); `iss`, `aud`,
     * `sub`, `iat`, `exp` and `jti` keep theirs.
     */
    claimNames: z.record(z.string(), z.string().min(1)).default({}),
    /** `exp` − `iat` (default 5 minutes). */
    tokenLifetimeSeconds: z.number().int().positive().max(86_400).default(300),
    /**
     * The SP's sign-off URL: when the user's IdP session ends, the IdP POSTs a logout token there
     * (the Back-Channel Logout token, signed like the sign-in tokens) so the SP ends its session.
     */
    signOffUrl: httpUrl.optional(),
  })
  .strict()
  .superRefine((sp, ctx) => {
    if (sp.algorithm === 'HS256' && sp.secret === undefined) {
      ctx.addIssue({ code: 'custom', path: ['secret'], message: 'HS256 needs a shared secret' })
    }
    for (const [index, url] of sp.returnUrls.entries()) {
      if (/[?#]/.test(url)) {
        ctx.addIssue({
          code: 'custom',
          path: ['returnUrls', index],
          message: 'a return URL prefix has no query or fragment',
        })
      }
    }
  })

export type JwtSpRegistration = z.output<typeof jwtSpRegistrationSchema>
export type JwtSpRegistrationInput = z.input<typeof jwtSpRegistrationSchema>

/** What the admin API shows of a JWT SP: never the shared secret. */
export function publicJwtSp(sp: JwtSpRegistration) {
  const { secret, ...rest } = sp
  return { ...rest, hasSecret: secret !== undefined }
}

export interface JwtSpRegistry {
  get(id: string): JwtSpRegistration | undefined
  list(): JwtSpRegistration[]
  register(input: unknown): JwtSpRegistration
}

export function createJwtSpRegistry(
  initial: JwtSpRegistrationInput[] = [],
  stored?: RecordTable<JwtSpRegistration>,
): JwtSpRegistry {
  const { get, list, register } = createSeededRegistry(
    (input) => parseConfig(jwtSpRegistrationSchema, input, 'jwtServiceProvider'),
    (sp) => sp.id,
    initial,
    stored,
  )
  return { get, list, register }
}
