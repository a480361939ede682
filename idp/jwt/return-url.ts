import { SsoError } from '../../core/errors/index.ts'
import type { JwtSpRegistration, JwtSpRegistry } from './registration.ts'

const maxReturnUrlLength = 2048

export interface AcceptedReturnUrl {
  sp: JwtSpRegistration
  url: URL
}

/**
 * The IdP's checks on a JWT return_url, in order — the IdP redirects only where a registered SP
 * said it may, never an open redirect:
 *   1. present, at most 2048 characters, an absolute http(s) URL without user info
 *   2. no `token` parameter of its own (the IdP appends the one token)
 *   3. under one of the return URLs registered for a JWT SP (the one named by `spId`, if given):
 *      same origin, and the path equal to or below the registered path
 */
export function acceptReturnUrl(
  value: string | undefined,
  registry: JwtSpRegistry,
  spId?: string,
): AcceptedReturnUrl {
  const refuse = (reason: string) =>
    new SsoError('JWT_RETURN_URL_REJECTED', 'return_url', reason, {
      returnUrl: (value ?? '').slice(0, 200),
      ...(spId !== undefined ? { sp: spId.slice(0, 200) } : {}),
    })
  if (!value) throw refuse('return_url is missing')
  if (value.length > maxReturnUrlLength) throw refuse('return_url is too long')
  let url: URL
  try {
    url = new URL(value)
  } catch {
    throw refuse('return_url is not an absolute URL')
  }
  if ((url.protocol !== 'http:' && url.protocol !== 'https:') || url.username || url.password) {
    throw refuse('return_url must be an http(s) URL without user info')
  }
  if (url.searchParams.has('token')) throw refuse('return_url already carries a token parameter')
  const candidates =
    spId === undefined ? registry.list() : [registry.get(spId)].filter((sp) => sp !== undefined)
  // The most specific registration wins: an SP at /c/shop/ is not answered as the SP at /.
  let sp: JwtSpRegistration | undefined
  let longest = -1
  for (const candidate of candidates) {
    for (const prefix of candidate.returnUrls) {
      if (isUnder(url, prefix) && prefix.length > longest) {
        sp = candidate
        longest = prefix.length
      }
    }
  }
  if (!sp)
    throw refuse('return_url is not under a return URL registered for a JWT service provider')
  return { sp, url }
}

/** Same origin, and the path is the prefix's path or below it (`/cb` covers `/cb/x`, not `/cbx`). */
export function isUnder(url: URL, prefix: string): boolean {
  const base = new URL(prefix)
  if (url.origin !== base.origin) return false
  const path = base.pathname
  if (url.pathname === path) return true
  return url.pathname.startsWith(path.endsWith('/') ? path : `${path}/`)
}

/**
 * The URL with `params` appended to its query, its own query kept as it was and the fragment
 * kept last (inSided: "appending ?token={token}").
 */
export function appendQuery(url: URL, params: Record<string, string>): string {
  const hashIndex = url.href.indexOf('#')
  const base = hashIndex === -1 ? url.href : url.href.slice(0, hashIndex)
  const fragment = hashIndex === -1 ? '' : url.href.slice(hashIndex)
  const separator = base.endsWith('?') ? '' : url.search ? '&' : '?'
  return `${base}${separator}${new URLSearchParams(params).toString()}${fragment}`
}
