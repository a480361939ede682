import type { MiddlewareHandler } from 'hono'

/**
 * Whether another site may show the IdP's pages in a frame — the messenger's login inside its
 * conversation panel (sp/messenger) depends on it. CSP Level 2 `frame-ancestors` says it to
 * every current browser; `X-Frame-Options` (RFC 7034), which cannot list origins, only when no
 * page may frame the IdP. Without a list, the IdP sends neither and any page may frame it.
 */
export function framePolicy(frameAncestors: readonly string[] | undefined): MiddlewareHandler {
  return async (c, next) => {
    await next()
    if (frameAncestors === undefined) return
    if (frameAncestors.length === 0) {
      c.header('Content-Security-Policy', "frame-ancestors 'none'")
      c.header('X-Frame-Options', 'DENY')
      return
    }
    c.header('Content-Security-Policy', `frame-ancestors ${frameAncestors.join(' ')}`)
  }
}
