import type { Context } from 'hono'
import { SsoError } from '../../core/errors/index.ts'
import type { SpContext } from '../context.ts'
import { sameOriginPath } from '../login/return-path.ts'
import type { OidcRuntime } from './runtime.ts'
import { startOidcLogin } from './start-oidc-login.ts'

/**
 * GET|POST /oidc/initiate-login — login initiated by the provider or a third party (OIDC Core
 * §4): an ordinary authorization request starts, in order:
 *   1. `iss` is present and is the configured issuer: a third party must not pick the provider
 *      the visitor is sent to                                               OIDC_ISSUER_MISSING / OIDC_ISSUER_MISMATCH
 *   2. `target_link_uri`, when sent, is a page of this SP — an absolute URL on its origin, its
 *      path passing the same return-path rule as return_url — never an open redirect   SP_RETURN_URL_REJECTED
 * `login_hint` is passed on to the provider.
 */
export async function handleInitiateLogin(ctx: SpContext, c: Context, oidc: OidcRuntime) {
  const params =
    c.req.method === 'POST'
      ? Object.fromEntries(
          Object.entries(await c.req.parseBody()).filter(
            (entry): entry is [string, string] => typeof entry[1] === 'string',
          ),
        )
      : c.req.query()
  const { iss } = params
  const issuer = oidc.settings.issuer
  if (iss === undefined) {
    throw new SsoError(
      'OIDC_ISSUER_MISSING',
      'iss',
      'a login initiated elsewhere must name its issuer',
      {
        expected: issuer ?? null,
      },
    )
  }
  if (iss !== issuer) {
    throw new SsoError(
      'OIDC_ISSUER_MISMATCH',
      'iss',
      'the login was initiated for another issuer',
      {
        expected: issuer ?? null,
        received: iss.slice(0, 200),
      },
    )
  }
  const returnPath = targetPath(params.target_link_uri, ctx)
  ctx.options.log('SP OIDC third-party-initiated login')
  return startOidcLogin(ctx, c, oidc, returnPath, params.login_hint)
}

/** target_link_uri as a path of this SP: its origin, then the one return-path rule. */
function targetPath(target: string | undefined, ctx: SpContext): string {
  const { baseUrl } = ctx.options
  if (target === undefined || target === '') return `${ctx.pathPrefix}/`
  let url: URL | undefined
  try {
    url = new URL(target)
  } catch {
    url = undefined
  }
  if (!url || url.origin !== new URL(baseUrl).origin || url.username || url.password) {
    throw new SsoError(
      'SP_RETURN_URL_REJECTED',
      'target_link_uri',
      'target_link_uri is not a page of this SP',
      {
        targetLinkUri: target.slice(0, 200),
      },
    )
  }
  return sameOriginPath(`${url.pathname}${url.search}${url.hash}`, baseUrl)
}
