import { SsoError } from '../../../core/errors/index.ts'
import { attr } from '../../../core/xml/index.ts'
import type { AcsContext } from '../context.ts'

/**
 * Cost before trust (catalogue case 38): a Response that answers no request, sent to a browser
 * that started no sign-in here (it presents no sign-in cookie), is unsolicited whatever its
 * Assertion says, and where those are off that is known before any signature work. A Response
 * naming a request goes on: which request it answers is checked last, on what the signed
 * Assertion says (check-in-response-to.ts), so one that outlived its request is still called
 * expired or replayed.
 */
export function checkPendingRequest(ctx: AcsContext): void {
  const { signInStarted } = ctx.state
  if (signInStarted === undefined) {
    ctx.notChecked('no browser to bind to')
    return
  }
  if (signInStarted || ctx.settings.allowUnsolicited) return
  if (attr(ctx.response, 'InResponseTo') !== undefined) return
  throw new SsoError(
    'SAML_UNSOLICITED_NOT_ALLOWED',
    'InResponseTo',
    'the Response answers no request, this browser started no sign-in, and unsolicited responses are off',
    {},
  )
}
