import { createHash } from 'node:crypto'

/** RFC 7636 §4.1: 43 to 128 unreserved characters. The same grammar holds for the challenge (§4.2). */
const pkceValue = /^[A-Za-z0-9\-._~]{43,128}$/

export const pkceMethods = ['S256', 'plain'] as const
export type PkceMethod = (typeof pkceMethods)[number]

export function isPkceValue(value: string): boolean {
  return pkceValue.test(value)
}

/** RFC 7636 §4.2: the code_challenge for a code_verifier. */
export function pkceChallenge(verifier: string, method: PkceMethod): string {
  return method === 'plain'
    ? verifier
    : createHash('sha256').update(verifier, 'ascii').digest('base64url')
}
