/** One cookie as a browser keeps it (RFC 6265bis §5.7), for plain-HTTP loopback sites. */
interface Cookie {
  name: string
  value: string
  /** The host it was set by (host-only) or its Domain attribute. */
  domain: string
  hostOnly: boolean
  path: string
  sameSite: 'strict' | 'lax' | 'none'
  /** ms since the epoch; Infinity for a session cookie. */
  expires: number
}

/**
 * The smallest cookie jar that treats the bench's visitors as a browser treats people: host-only
 * and Domain cookies, Path, Max-Age/Expires (0 or the past deletes), SameSite, Secure cookies
 * refused over plain HTTP. Sites are told apart by host name, as `harness/http-driver` does.
 */
export class CookieJar {
  private cookies: Cookie[] = []

  constructor(private readonly now: () => number = Date.now) {}

  /** Stores the `Set-Cookie` header values of a response from `url`. */
  store(url: URL, setCookies: readonly string[]): void {
    for (const header of setCookies) {
      const cookie = parseSetCookie(header, url, this.now())
      if (!cookie) continue
      this.cookies = this.cookies.filter(
        (kept) =>
          kept.name !== cookie.name || kept.domain !== cookie.domain || kept.path !== cookie.path,
      )
      if (cookie.expires > this.now()) this.cookies.push(cookie)
    }
  }

  /**
   * The Cookie header for a request to `url`; `crossSite` when the page it comes from is on
   * another site, `topLevelGet` for a navigation by GET (what SameSite=Lax lets through).
   */
  header(url: URL, crossSite: boolean, topLevelGet: boolean): string {
    const now = this.now()
    let header = ''
    for (const cookie of this.cookies) {
      if (cookie.expires <= now) continue
      if (!domainMatches(url.hostname, cookie)) continue
      if (!pathMatches(url.pathname, cookie.path)) continue
      if (
        crossSite &&
        (cookie.sameSite === 'strict' || (cookie.sameSite === 'lax' && !topLevelGet))
      )
        continue
      header += `${header ? '; ' : ''}${cookie.name}=${cookie.value}`
    }
    return header
  }
}

function parseSetCookie(header: string, url: URL, now: number): Cookie | undefined {
  const [pair = '', ...attributes] = header.split(';')
  const equals = pair.indexOf('=')
  if (equals <= 0) return undefined
  const cookie: Cookie = {
    name: pair.slice(0, equals).trim(),
    value: pair.slice(equals + 1).trim(),
    domain: url.hostname,
    hostOnly: true,
    path: defaultPath(url.pathname),
    sameSite: 'lax',
    expires: Number.POSITIVE_INFINITY,
  }
  let maxAge: number | undefined
  for (const attribute of attributes) {
    const at = attribute.indexOf('=')
    const key = (at < 0 ? attribute : attribute.slice(0, at)).trim().toLowerCase()
    const value = at < 0 ? '' : attribute.slice(at + 1).trim()
    if (key === 'max-age' && /^-?\d+$/.test(value)) maxAge = Number(value)
    else if (key === 'expires' && maxAge === undefined) {
      const date = Date.parse(value)
      if (!Number.isNaN(date)) cookie.expires = date
    } else if (key === 'path' && value.startsWith('/')) cookie.path = value
    else if (key === 'domain' && value) {
      const domain = value.replace(/^\./, '').toLowerCase()
      if (!domainMatches(url.hostname, { domain, hostOnly: false })) return undefined
      cookie.domain = domain
      cookie.hostOnly = false
    } else if (key === 'samesite') {
      const sameSite = value.toLowerCase()
      if (sameSite === 'strict' || sameSite === 'none') cookie.sameSite = sameSite
    } else if (key === 'secure' && url.protocol !== 'https:') return undefined
  }
  if (maxAge !== undefined) cookie.expires = now + maxAge * 1000
  return cookie
}

function domainMatches(host: string, cookie: Pick<Cookie, 'domain' | 'hostOnly'>): boolean {
  if (host === cookie.domain) return true
  return !cookie.hostOnly && host.endsWith(`.${cookie.domain}`)
}

function pathMatches(requestPath: string, cookiePath: string): boolean {
  if (requestPath === cookiePath) return true
  if (!requestPath.startsWith(cookiePath)) return false
  return cookiePath.endsWith('/') || requestPath[cookiePath.length] === '/'
}

function defaultPath(path: string): string {
  const slash = path.lastIndexOf('/')
  return slash <= 0 ? '/' : path.slice(0, slash)
}
