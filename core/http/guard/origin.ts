import type { Context } from 'hono'
import { SsoError } from '../../errors/index.ts'

/** Sec-Fetch-Site values of a request the app's own page (or the person, typing) started. */
const ownSites = new Set(['same-origin', 'none'])

/**
 * The request comes from the app's own pages. A browser says where a request comes from:
 * `Sec-Fetch-Site` (Fetch Metadata) and `Origin` (RFC 6454 §7; sent with every POST). Either
 * naming another site — or another port of this host, which is the same *site* for cookies, so
 * SameSite alone cannot tell — refuses it. A request with neither header did not come from a
 * browser's page (a script, curl); what else guards it is the caller's business (form token,
 * admin token).
 */
export function checkSameOrigin(c: Context, ownOrigins: ReadonlySet<string>): void {
  const site = c.req.header('sec-fetch-site')
  if (site !== undefined && !ownSites.has(site.trim().toLowerCase())) {
    throw crossSite({ 'sec-fetch-site': site.slice(0, 40) })
  }
  const origin = c.req.header('origin')
  if (origin === undefined) return
  // The started-for origins first: the request's own URL is parsed only when none is named.
  if (ownOrigins.has(origin) || origin === new URL(c.req.url).origin) return
  throw crossSite({ origin: origin.slice(0, 200) })
}

function crossSite(evidence: Record<string, string>): SsoError {
  return new SsoError(
    'CROSS_SITE_REQUEST_REFUSED',
    'Origin',
    "the request comes from another site or origin, not from this server's own page",
    evidence,
  )
}
