/**
 * Whether a browser shows a page inside a frame of a page at `embedder`, read from that page's
 * answer headers — what the http driver, which runs no frames, knows of the IdP's login shown
 * inside the messenger's panel. CSP `frame-ancestors` (CSP Level 2 §7.7.3) wins over
 * `X-Frame-Options` (RFC 7034 §2.1) where both are sent, as every current browser does.
 */
export function framingAllowed(headers: Headers, framedUrl: string, embedder: string): boolean {
  const framed = new URL(framedUrl).origin
  const parent = new URL(embedder).origin
  const sources = frameAncestors(headers.get('content-security-policy'))
  if (sources !== undefined) return sources.some((source) => allows(source, framed, parent))
  const xfo = headers.get('x-frame-options')?.trim().toLowerCase()
  if (xfo === 'deny') return false
  if (xfo === 'sameorigin') return framed === parent
  return true
}

/** The source list of the first `frame-ancestors` directive of any policy, if one is sent. */
function frameAncestors(csp: string | null): string[] | undefined {
  if (csp === null) return undefined
  // Several headers arrive joined by commas; each policy's directives are split by semicolons.
  for (const directive of csp.split(/[,;]/)) {
    const [name, ...sources] = directive.trim().split(/\s+/)
    if (name?.toLowerCase() === 'frame-ancestors') return sources.filter((s) => s !== '')
  }
  return undefined
}

function allows(source: string, framed: string, parent: string): boolean {
  const lower = source.toLowerCase()
  if (lower === "'none'") return false
  if (lower === '*') return true
  if (lower === "'self'") return parent === framed
  if (/^[a-z][a-z0-9+.-]*:$/.test(lower)) return parent.startsWith(lower)
  return URL.canParse(source) && new URL(source).origin === parent
}
