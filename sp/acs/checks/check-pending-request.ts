import { SsoError } from '../../../core/errors/index.ts'
import { attr } from '../../../core/xml/index.ts'
import type { AcsContext } from '../context.ts'

/**
 * Cost before trust (catalogue case 38): a browser that started no sign-in here (it presents no
 * sign-in cookie) can only receive an unsolicited Response, and where those are off that is
 * known before any signature work. Which request a Response answers is checked last, on what
 * the signed Assertion says (check-in-response-to.ts): a Response that outlived its request is
 * still called expired or replayed there, not here.
 */
export function checkPendingRequest(ctx: AcsContext): void {
  const { signInStarted } = ctx.state
  if (signInStarted === undefined) {
    ctx.notChecked('no browser to bind to')
    return
  }
  if (signInStarted || ctx.settings.allowUnsolicited) return
  const named = attr(ctx.response, 'InResponseTo')
  if (named !== undefined) {
    throw new SsoError(
      'SAML_IN_RESPONSE_TO_UNKNOWN',
      'InResponseTo',
      'the Response answers a request, and this browser started no sign-in',
      { inResponseTo: named.slice(0, 100) },
    )
  }
  throw new SsoError(
    'SAML_UNSOLICITED_NOT_ALLOWED',
    'InResponseTo',
    'the Response answers no request, and unsolicited responses are off',
    {},
  )
}
