import type { Context } from 'hono'
import { SsoError } from '../../errors/index.ts'

/** Names that always mean this machine: a page elsewhere cannot make a browser send them. */
const loopbackNames = ['localhost', '127.0.0.1', '[::1]']

/**
 * The Host values a server answers: the host of each URL it was started for (`baseUrl`, a public
 * base URL), and the loopback names on the same port. Lower case, the port kept when not the
 * scheme's default, as `URL.host` writes it.
 */
export function allowedHosts(baseUrls: readonly string[]): ReadonlySet<string> {
  const hosts = new Set<string>()
  for (const base of baseUrls) {
    const url = new URL(base)
    hosts.add(url.host.toLowerCase())
    const port = url.port === '' ? '' : `:${url.port}`
    for (const name of loopbackNames) hosts.add(`${name}${port}`)
  }
  return hosts
}

/**
 * DNS rebinding: a page at evil.example whose name now resolves to 127.0.0.1 reaches this server
 * with `Host: evil.example`, as the same origin as itself. Every request that came over the
 * network (it has a Host header) must name a host the server was started for, and an absolute
 * request target (RFC 9112 §3.2.2) must name the same one. An in-process request (no Host
 * header, e.g. `app.request('/x')`) passed through no DNS and is not checked.
 */
export function checkHost(c: Context, allowed: ReadonlySet<string>): void {
  const header = c.req.header('host')
  if (header === undefined) return
  const url = new URL(c.req.url)
  const host = hostOf(header, url.protocol)
  if (host !== undefined && allowed.has(host) && url.host === host) return
  const target = url.host
  throw new SsoError(
    'HOST_NOT_ALLOWED',
    'Host',
    'the request names a host this server was not started for',
    { host: header.slice(0, 200), ...(target !== host ? { target: target.slice(0, 200) } : {}) },
  )
}

/** The Host header as `URL.host` writes it (lower case, no default port), or undefined if malformed. */
function hostOf(header: string, protocol: string): string | undefined {
  if (header === '' || /[\s/?#@\\]/.test(header)) return undefined
  try {
    return new URL(`${protocol}//${header}`).host
  } catch {
    return undefined
  }
}
