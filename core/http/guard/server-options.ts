import * as z from 'zod'

export { unspecifiedHosts } from '../../config/shapes.ts'

/** The admin token: long enough not to be guessed, printable, never written anywhere by ssoproof. */
export const adminTokenSchema = z
  .string()
  .regex(/^[\x21-\x7e]{16,256}$/, '16 to 256 printable ASCII characters, no spaces')
