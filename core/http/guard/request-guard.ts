import type { Context, MiddlewareHandler } from 'hono'
import type { Random } from '../../random/index.ts'
import { checkAdminToken, checkJsonBody } from './admin.ts'
import { addFormTokens, checkFormToken } from './form-token.ts'
import { allowedHosts, checkHost } from './host.ts'
import { checkSameOrigin } from './origin.ts'

/**
 * What an app's routes are, for the guard. Everything not named here is a page: its GETs are
 * free, its POSTs are the person's own (same origin and the form token).
 */
export interface RouteTable {
  /**
   * Endpoints other sites call by design: the SAML HTTP-POST binding's self-submitting forms,
   * back channels (SOAP, OAuth token and userinfo). The protocol message is their protection.
   */
  crossSiteByDesign: readonly RegExp[]
  /** The admin API and pages: JSON bodies, same origin, the admin token when one is set. */
  admin: readonly RegExp[]
  /** JSON that scripts read (a session, a conversation): never for another site. */
  api: readonly RegExp[]
}

export interface RequestGuardOptions {
  /** The URLs the server was started for (its base URL): their hosts are the Hosts it answers. */
  baseUrls: readonly string[]
  routes: RouteTable
  /** Set: admin calls need `Authorization: Bearer <adminToken>`. */
  adminToken?: string | undefined
  /** Draws form tokens. */
  random: Random
}

export type RouteKind = 'cross-site' | 'admin' | 'api' | 'page'

interface GuardCheck {
  /** What it enforces, in a few words. */
  rule: string
  applies(kind: RouteKind, unsafe: boolean): boolean
  run(c: Context): void | Promise<void>
}

const safeMethods = new Set(['GET', 'HEAD', 'OPTIONS'])

/**
 * Who may ask what, before any route runs (catalogue case 36). The checks in order:
 *   1. every request: the Host is one the server was started for    HOST_NOT_ALLOWED
 *   2. admin and API: from this origin, whatever the method          CROSS_SITE_REQUEST_REFUSED
 *   3. admin: the admin token, when one is set                      ADMIN_TOKEN_REQUIRED
 *   4. admin and API: bodies are JSON                                ADMIN_JSON_REQUIRED
 *   5. a page's POST: from this origin                               CROSS_SITE_REQUEST_REFUSED
 *   6. a page's POST: the form token of this browser                 FORM_TOKEN_INVALID
 * and on the way out, every POST form of an HTML answer gets this browser's form token.
 */
export function requestGuard(options: RequestGuardOptions): MiddlewareHandler {
  const hosts = allowedHosts(options.baseUrls)
  const ownOrigins = new Set(options.baseUrls.map((url) => new URL(url).origin))
  const checks: GuardCheck[] = [
    { rule: 'known Host', applies: () => true, run: (c) => checkHost(c, hosts) },
    {
      rule: 'admin and API calls from this origin',
      applies: (kind) => kind === 'admin' || kind === 'api',
      run: (c) => checkSameOrigin(c, ownOrigins),
    },
    {
      rule: 'admin token',
      applies: (kind) => kind === 'admin',
      run: (c) => checkAdminToken(c, options.adminToken),
    },
    {
      rule: 'JSON bodies',
      applies: (kind) => kind === 'admin' || kind === 'api',
      run: checkJsonBody,
    },
    {
      rule: "a page's POST from this origin",
      applies: (kind, unsafe) => kind === 'page' && unsafe,
      run: (c) => checkSameOrigin(c, ownOrigins),
    },
    {
      rule: "a page's POST with its form token",
      applies: (kind, unsafe) => kind === 'page' && unsafe,
      run: checkFormToken,
    },
  ]
  return async (c, next) => {
    const kind = routeKind(c.req.path, options.routes)
    const unsafe = !safeMethods.has(c.req.method)
    for (const check of checks) {
      if (check.applies(kind, unsafe)) await check.run(c)
    }
    await next()
    await addFormTokens(c, { random: options.random, ownOrigins })
  }
}

/** What the guard takes a path for: the first of the table's lists that names it, else a page. */
export function routeKind(path: string, routes: RouteTable): RouteKind {
  const matches = (patterns: readonly RegExp[]) => patterns.some((pattern) => pattern.test(path))
  if (matches(routes.crossSiteByDesign)) return 'cross-site'
  if (matches(routes.admin)) return 'admin'
  if (matches(routes.api)) return 'api'
  return 'page'
}
