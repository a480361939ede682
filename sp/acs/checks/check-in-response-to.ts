import { SsoError } from '../../../core/errors/index.ts'
import { attr } from '../../../core/xml/index.ts'
import type { AcsContext } from '../context.ts'

/**
 * saml-profiles §4.1.4.2–3: a Response to an AuthnRequest names it in InResponseTo — the
 * Response and, inside the signed Assertion, the bearer SubjectConfirmationData — and it must
 * be a request this browser is still waiting for; a Response without one is unsolicited and is
 * accepted only when the SP allows IdP-initiated sign-in and this browser is not waiting for the
 * answer to a request of its own. A Response that answers nothing in the middle of an
 * SP-initiated sign-in is how an attacker pushes their own assertion into a victim's browser
 * (login CSRF); the visitor who really went to the IdP portal meanwhile just starts again.
 */
export function checkInResponseTo(ctx: AcsContext): void {
  const id = ctx.inResponseTo
  const envelope = attr(ctx.response, 'InResponseTo')
  // saml-profiles §4.1.4.2: answering a request, the bearer SubjectConfirmationData names it
  // too. Without that, an unsolicited assertion could be wrapped into a Response (unsigned, so
  // anyone can write it) that names a victim's pending request.
  if (id === undefined && envelope !== undefined) {
    throw new SsoError(
      'SAML_IN_RESPONSE_TO_MISSING',
      'SubjectConfirmationData InResponseTo',
      "the Response names a request, but the Assertion's bearer SubjectConfirmationData names none",
      { response: envelope.slice(0, 100) },
    )
  }
  const { isPendingRequest } = ctx.state
  if (isPendingRequest === null) {
    ctx.notChecked(
      id === undefined
        ? 'no AuthnRequest to bind to; the Response is unsolicited'
        : `no AuthnRequest to bind to; the Response answers "${id.slice(0, 100)}"`,
    )
    return
  }
  if (id === undefined) {
    if (ctx.state.awaitsResponse) {
      throw new SsoError(
        'SAML_IN_RESPONSE_TO_MISSING',
        'InResponseTo',
        'the Response answers no request, and this browser is waiting for the answer to one',
        {},
      )
    }
    if (ctx.settings.allowUnsolicited) return
    throw new SsoError(
      'SAML_UNSOLICITED_NOT_ALLOWED',
      'InResponseTo',
      'the Response answers no request, and unsolicited responses are off',
      {},
    )
  }
  if (!isPendingRequest(id)) {
    throw new SsoError(
      'SAML_IN_RESPONSE_TO_UNKNOWN',
      'InResponseTo',
      'the Response answers a request this browser is not waiting for',
      {
        inResponseTo: id,
      },
    )
  }
}
