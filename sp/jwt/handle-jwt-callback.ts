import type { Context } from 'hono'
import { SsoError } from '../../core/errors/index.ts'
import { completeSignIn } from '../accounts/complete-sign-in.tsx'
import type { SpContext } from '../context.ts'
import { isPassiveRefusal, stayGuest } from '../login/passive-sign-in.ts'
import { sameOriginPathOr } from '../login/return-path.ts'
import { writeTogether } from '../store/write-together.ts'
import type { ResolvedSpJwtSettings } from './settings.ts'
import { validateToken } from './validate-token.ts'

/**
 * /jwt/callback — where the token arrives: `GET ?token=…&return_url=/path` from the IdP's
 * redirect (inSided step 5), or `POST token=…` from page JavaScript (IdP-initiated hand-over).
 * An `error` instead of a token is the IdP saying no one signed in (after a passive attempt,
 * `login_required` just sends the visitor back as a guest). The token is validated
 * (validate-token.ts); only then is the replay key recorded and the session started, and the
 * visitor goes to the return path (same-origin only; anything else sends them home).
 */
export async function handleJwtCallback(
  ctx: SpContext,
  c: Context,
  settings: ResolvedSpJwtSettings,
) {
  const { options } = ctx
  const form = c.req.method === 'POST' ? await c.req.parseBody() : {}
  const read = (name: string) => {
    const value = form[name] ?? c.req.query(name)
    return typeof value === 'string' ? value : undefined
  }
  c.header('Cache-Control', 'no-store')
  c.header('Referrer-Policy', 'no-referrer')
  const returnPath = sameOriginPathOr(read('return_url'), options.baseUrl, '/')
  const token = read('token')
  if (!token) {
    const error = read('error')
    if (read('passive') === '1' && isPassiveRefusal(error)) {
      return stayGuest(ctx, c, returnPath)
    }
    if (error === 'unmet_authentication_requirements') {
      throw new SsoError(
        'SP_AUTHN_CONTEXT_UNAVAILABLE',
        'error',
        'the IdP cannot sign this user in with the authentication context required',
        { error },
      )
    }
    if (error !== undefined) {
      throw new SsoError(
        'JWT_SIGN_IN_FAILED',
        'error',
        'the IdP answered with an error instead of a token',
        {
          error: error.slice(0, 100),
        },
      )
    }
    throw new SsoError('JWT_TOKEN_MISSING', 'token', 'the request carries no token', {})
  }
  ctx.diagnostics?.hooks.token(c, 'token', token)
  const accepted = await validateToken(ctx, settings, token)
  options.log(`SP JWT sign-in accepted for ${accepted.subject.nameId}`)
  // One commit for the replay record, the contact and the session.
  return writeTogether(ctx.db, () => {
    ctx.replay.add(accepted.replayKey, accepted.keepUntil)
    return completeSignIn(ctx, c, accepted.subject, returnPath)
  })
}
