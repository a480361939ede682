import { SsoError } from '../../core/errors/index.ts'

/**
 * The one owner of return paths (return_url, RelayState, state-carried paths): only a path on
 * this origin is honoured — never an open redirect. The value that goes out is the one checked,
 * after the URL parser's normalisation: dot segments (also `%2e%2e`) turn `/..//evil` into
 * `//evil`, which a browser reads as another host. Refused: absolute URLs, anything that starts
 * or ends as `//` or `/\` (browsers read `\` as `/`), backslashes, `javascript:`, control
 * characters. Non-ASCII (Unicode slashes, full-width letters) comes out percent-encoded, inert.
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
  if (!isPlainPath(value)) throw refuse()
  const base = new URL(baseUrl)
  const resolved = new URL(value, base)
  const path = `${resolved.pathname}${resolved.search}${resolved.hash}`
  // What a browser makes of the path we answer must be this very URL, on this origin.
  if (
    !isPlainPath(path) ||
    resolved.origin !== base.origin ||
    new URL(path, base).href !== resolved.href
  ) {
    throw refuse()
  }
  return path
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

/** One leading `/` not followed by `/` or `\`, no backslash, no control character. */
function isPlainPath(value: string): boolean {
  return (
    value.startsWith('/') &&
    !value.startsWith('//') &&
    !value.includes('\\') &&
    !hasControlCharacter(value)
  )
}

function hasControlCharacter(value: string): boolean {
  for (let i = 0; i < value.length; i++) {
    const code = value.charCodeAt(i)
    if (code < 0x20 || (code >= 0x7f && code <= 0x9f)) return true
  }
  return false
}
