import * as z from 'zod'
import { tokenKey } from '../../core/store/token-key.ts'

/**
 * A second factor: a one-time code the login form asks for after the password (a mock IdP: one
 * fixed code per user). Kept only as its SHA-256 (`codeDigest`), never in clear; a digested
 * entry parses again unchanged. `always`: the user never signs in with the password alone;
 * otherwise the code is asked only when the request wants more than a password.
 */
const secondFactorSchema = z.union([
  z
    .object({
      code: z.string().regex(/^[0-9]{6,8}$/, { message: 'expected 6 to 8 digits' }),
      always: z.boolean().default(false),
    })
    .strict()
    .transform(({ code, always }) => ({ codeDigest: tokenKey(code), always })),
  z
    .object({
      codeDigest: z.string().regex(/^[A-Za-z0-9_-]{43}$/),
      always: z.boolean().default(false),
    })
    .strict(),
])

/** A person the fake IdP can sign in. `id` is the stable external ID sent to the SPs. */
export const userSchema = z
  .object({
    id: z.string().min(1).max(256),
    name: z.string().min(1),
    email: z.email().optional(),
    phone: z.string().optional(),
    company: z.string().optional(),
    department: z.string().optional(),
    membershipLevel: z.string().optional(),
    /** When set, the login form asks for it; when absent, picking the user is enough. */
    password: z.string().min(1).optional(),
    secondFactor: secondFactorSchema.optional(),
    /** Further attributes, sent as they are (a list becomes several AttributeValues). */
    attributes: z.record(z.string(), z.union([z.string(), z.array(z.string())])).default({}),
  })
  .strict()

export type IdpUser = z.output<typeof userSchema>
export type IdpUserInput = z.input<typeof userSchema>

export const usersFileSchema = z
  .object({
    users: z
      .array(userSchema)
      .min(1)
      .superRefine((users, ctx) => {
        const seen = new Set<string>()
        users.forEach((user, index) => {
          if (seen.has(user.id)) {
            ctx.addIssue({
              code: 'custom',
              path: [index, 'id'],
              message: `duplicate user id "${user.id}"`,
            })
          }
          seen.add(user.id)
        })
      }),
  })
  .strict()

/**
 * The attributes a user carries into an assertion or token: every profile field but the
 * password and the second factor, then the custom attributes.
 */
export function userAttributes(user: IdpUser): Record<string, string[]> {
  const out: Record<string, string[]> = { id: [user.id], name: [user.name] }
  const fields = ['email', 'phone', 'company', 'department', 'membershipLevel'] as const
  for (const field of fields) {
    const value = user[field]
    if (value !== undefined) out[field] = [value]
  }
  for (const [key, value] of Object.entries(user.attributes)) {
    out[key] = Array.isArray(value) ? value : [value]
  }
  return out
}
