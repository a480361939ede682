import { type CheckTable, runCheckTable } from '../../core/checks/run-check-table.ts'
import { SsoError } from '../../core/errors/index.ts'
import type { JwtSpRegistration, JwtSpRegistry } from './registration.ts'

const maxReturnUrlLength = 2048

export interface AcceptedReturnUrl {
  sp: JwtSpRegistration
  url: URL
}

/** What the return_url checks need and learn as they go. */
interface ReturnUrlChecks {
  value: string | undefined
  registry: JwtSpRegistry
  spId: string | undefined
  url?: URL
  sp?: JwtSpRegistration
}

function refuse({ value, spId }: ReturnUrlChecks, reason: string): SsoError {
  return new SsoError('JWT_RETURN_URL_REJECTED', 'return_url', reason, {
    returnUrl: (value ?? '').slice(0, 200),
    ...(spId !== undefined ? { sp: spId.slice(0, 200) } : {}),
  })
}

/**
 * The IdP's checks on a JWT remote login's return_url, in the order they run — the IdP
 * redirects only where a registered SP said it may, never an open redirect.
 */
export const returnUrlChecks: CheckTable<ReturnUrlChecks> = [
  [
    'return_url',
    (checks) => {
      const { value } = checks
      if (!value) throw refuse(checks, 'return_url is missing')
      if (value.length > maxReturnUrlLength) throw refuse(checks, 'return_url is too long')
      let url: URL
      try {
        url = new URL(value)
      } catch {
        throw refuse(checks, 'return_url is not an absolute URL')
      }
      if ((url.protocol !== 'http:' && url.protocol !== 'https:') || url.username || url.password) {
        throw refuse(checks, 'return_url must be an http(s) URL without user info')
      }
      checks.url = url
    },
    'present, at most 2048 characters, an absolute http(s) URL without user info (JWT_RETURN_URL_REJECTED)',
  ],
  [
    'token',
    (checks) => {
      if (checks.url?.searchParams.has('token')) {
        throw refuse(checks, 'return_url already carries a token parameter')
      }
    },
    'no token parameter of its own: the IdP appends the one token (JWT_RETURN_URL_REJECTED)',
  ],
  [
    'registered return URL',
    (checks) => {
      const { registry, spId } = checks
      const url = checks.url as URL
      const candidates =
        spId === undefined ? registry.list() : [registry.get(spId)].filter((sp) => sp !== undefined)
      // The most specific registration wins: an SP at /c/shop/ is not answered as the SP at /.
      let longest = -1
      for (const candidate of candidates) {
        for (const prefix of candidate.returnUrls) {
          if (isUnder(url, prefix) && prefix.length > longest) {
            checks.sp = candidate
            longest = prefix.length
          }
        }
      }
      if (!checks.sp) {
        throw refuse(
          checks,
          'return_url is not under a return URL registered for a JWT service provider',
        )
      }
    },
    'under a return URL of a JWT SP (the one named by sp=, if given): same origin, the path equal or below (JWT_RETURN_URL_REJECTED)',
  ],
]

/** Runs returnUrlChecks: the SP the return_url belongs to, and the URL. */
export function acceptReturnUrl(
  value: string | undefined,
  registry: JwtSpRegistry,
  spId?: string,
): AcceptedReturnUrl {
  const { ctx } = runCheckTable(returnUrlChecks, (): ReturnUrlChecks => ({ value, registry, spId }))
  return { sp: ctx.sp as JwtSpRegistration, url: ctx.url as URL }
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
