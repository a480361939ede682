import { z } from 'zod'
import { parseConfig } from '../../config/parse-config.ts'

/** Listening addresses that mean "every interface": no browser or peer can reach them by name. */
export const unspecifiedHosts = new Set(['0.0.0.0', '[::]', '[::ffff:0:0]'])

/** Where a server is reached: an absolute http(s) URL whose host others can use. */
export const baseUrlSchema = z
  .string()
  .refine((value) => /^https?:\/\/[^/]/i.test(value) && URL.canParse(value), {
    message: 'an absolute http(s) URL, e.g. http://127.0.0.1:7000',
  })
  .refine((value) => !URL.canParse(value) || !unspecifiedHosts.has(new URL(value).hostname), {
    message:
      '0.0.0.0 and :: mean "every interface" to a listening socket, not an address others can reach: give the host name or address browsers and peers use',
  })

/** The admin token: long enough not to be guessed, printable, never written anywhere by ssoproof. */
export const adminTokenSchema = z
  .string()
  .regex(/^[\x21-\x7e]{16,256}$/, '16 to 256 printable ASCII characters, no spaces')

const serverOptionsSchema = z.object({
  baseUrl: baseUrlSchema,
  adminToken: adminTokenSchema.optional(),
})

/** Checks the options every server factory shares; CONFIG_INVALID names the setting. */
export function checkServerOptions(options: { baseUrl: string; adminToken?: string | undefined }) {
  return parseConfig(
    serverOptionsSchema,
    { baseUrl: options.baseUrl, adminToken: options.adminToken },
    'options',
  )
}
