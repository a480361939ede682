import type { IdpContext } from '../context.ts'
import type { QueuedLogin } from './login-queue.ts'

/** Takes the queued login of this request, once, for the SP it names (see signInAttempt). */
export type ClaimQueuedLogin = (sp: string | undefined) => QueuedLogin | undefined

/**
 * Catalogue case 38: a queued headless sign-in is used up by the sign-in request it was meant
 * for, refused or not, so it never outlives that request to sign an unrelated browser in later.
 * Every sign-in endpoint runs inside one attempt: it claims the queued login for the SP the
 * request names as soon as that is known (a request refused before it names one takes a login
 * queued for any SP), and the attempt claims at the latest when the request ends.
 */
export async function signInAttempt(
  ctx: IdpContext,
  run: (claim: ClaimQueuedLogin) => Response | Promise<Response>,
): Promise<Response> {
  let claimed: { login: QueuedLogin | undefined } | undefined
  const claim: ClaimQueuedLogin = (sp) => {
    claimed ??= { login: ctx.nextLogins.take(sp) }
    return claimed.login
  }
  try {
    return await run(claim)
  } finally {
    claim(undefined)
  }
}
