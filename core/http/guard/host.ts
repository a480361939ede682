import type { Context } from 'hono'
import { SsoError } from '../../errors/index.ts'
import { addressKind } from '../fetch-policy/address-ranges.ts'

/**
 * The Host values a server answers besides loopback names: the host of each URL it was started
 * for (`baseUrl`, a public base URL), lower case, the port kept when not the scheme's default,
 * as `URL.host` writes it.
 */
export function allowedHosts(baseUrls: readonly string[]): ReadonlySet<string> {
  return new Set(baseUrls.map((base) => new URL(base).host.toLowerCase()))
}

/**
 * DNS rebinding: a page at evil.example whose name now resolves to 127.0.0.1 reaches this server
 * with `Host: evil.example`, as the same origin as itself. Every request that came over the
 * network (it has a Host header) must name a host the server was started for, or a loopback
 * name (localhost, 127.0.0.0/8, [::1]: a page elsewhere cannot make a browser send one, and a
 * proxy in front may), and an absolute request target (RFC 9112 §3.2.2) the same host. An
 * in-process request (no Host header, e.g. `app.request('/x')`) passed through no DNS.
 */
export function checkHost(c: Context, allowed: ReadonlySet<string>): void {
  const header = c.req.header('host')
  if (header === undefined) return
  const url = new URL(c.req.url)
  const named = hostOf(header, url.protocol)
  const host = named?.host
  if (named !== undefined && url.host === host) {
    const hostname = named.hostname
    if (allowed.has(host) || hostname === 'localhost' || addressKind(hostname) === 'loopback')
      return
  }
  throw new SsoError(
    'HOST_NOT_ALLOWED',
    'Host',
    'the request names a host this server was not started for',
    {
      host: header.slice(0, 200),
      ...(url.host !== host ? { target: url.host.slice(0, 200) } : {}),
    },
  )
}

/**
 * The Host header as `URL.host` writes it (lower case, no default port) and its `hostname` (the
 * same parse: no second one of what it wrote), or undefined if malformed.
 */
function hostOf(header: string, protocol: string): { host: string; hostname: string } | undefined {
  if (header === '' || /[\s/?#@\\]/.test(header)) return undefined
  try {
    const { host, hostname } = new URL(`${protocol}//${header}`)
    return { host, hostname }
  } catch {
    return undefined
  }
}
