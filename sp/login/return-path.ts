import { SsoError } from '../../core/errors/index.ts'

/**
 * Only same-origin paths are honoured as return URLs — never an open redirect. Refused:
 * absolute URLs, scheme-relative `//evil`, `/\evil` (browsers read `\` as `/`), `javascript:`,
 * and control characters.
 */
export function sameOriginPath(value: string | undefined, baseUrl: string): string {
  if (value === undefined || value === '') return '/'
  const refuse = () =>
    new SsoError(
      'SP_RETURN_URL_REJECTED',
      'return_url',
      'the return URL is not a path on this site',
      {
        returnUrl: value.slice(0, 200),
      },
    )
  if (
    !value.startsWith('/') ||
    value.startsWith('//') ||
    value.includes('\\') ||
    hasControlCharacter(value)
  ) {
    throw refuse()
  }
  const base = new URL(baseUrl)
  const resolved = new URL(value, base)
  if (resolved.origin !== base.origin) throw refuse()
  return `${resolved.pathname}${resolved.search}${resolved.hash}`
}

/**
 * The same rule where a refusal must not stop the visitor (a RelayState, a logout's return_url,
 * the return_url on the way back from the IdP): a path that is not same-origin gives `fallback`.
 */
export function sameOriginPathOr<F>(
  value: string | undefined,
  baseUrl: string,
  fallback: F,
): string | F {
  try {
    return sameOriginPath(value, baseUrl)
  } catch (error) {
    if (error instanceof SsoError) return fallback
    throw error
  }
}

function hasControlCharacter(value: string): boolean {
  for (let i = 0; i < value.length; i++) {
    const code = value.charCodeAt(i)
    if (code < 0x20 || code === 0x7f) return true
  }
  return false
}
