import { SsoError } from '../errors/index.ts'

/**
 * Helpers for the SP's and IdP's outbound HTTP (artifact resolution, JWKS, discovery, token,
 * userinfo): bounded reading of an answer and a short, secret-free name for a network failure.
 */

/** The body as text, or undefined once it grows past `maxBytes` (the rest is not read). */
export async function readCapped(
  response: Response,
  maxBytes: number,
): Promise<string | undefined> {
  if (!response.body) return ''
  const reader = response.body.getReader()
  const chunks: Uint8Array[] = []
  let total = 0
  for (let chunk = await reader.read(); !chunk.done; chunk = await reader.read()) {
    total += chunk.value.byteLength
    if (total > maxBytes) {
      await reader.cancel()
      return undefined
    }
    chunks.push(chunk.value)
  }
  return Buffer.concat(chunks).toString('utf8')
}

/**
 * The system error code (ECONNREFUSED, ENOTFOUND, …) undici puts in `cause`, the stable code of
 * a refusal by the outbound policy, else the error's name.
 */
export function causeOf(error: unknown): string {
  if (error instanceof SsoError) return error.code
  const cause = (error as { cause?: { code?: unknown } } | null)?.cause
  if (typeof cause?.code === 'string') return cause.code
  return error instanceof Error ? error.name : 'unknown'
}
