import { SsoError } from '../../../core/errors/index.ts'
import type { AcsContext } from '../context.ts'

/**
 * saml-profiles §4.1.4.5: a Response or Assertion ID is consumed once. The Response ID is read
 * from the envelope and looked up first, before any signature work (catalogue case 38), so a
 * replayed Response is called a replay whatever else it no longer matches; the Assertion ID, an
 * encrypted Assertion's too, once the Assertion is read and verified.
 */
export function checkResponseReplay(ctx: AcsContext): void {
  checkUnused(ctx, 'Response', ctx.responseId)
}

export function checkAssertionReplay(ctx: AcsContext): void {
  checkUnused(ctx, 'Assertion', ctx.assertionId)
}

function checkUnused(ctx: AcsContext, kind: 'Response' | 'Assertion', id: string | undefined) {
  const { replay } = ctx.state
  if (replay === null) {
    ctx.notChecked('offline there is no replay cache to consult')
    return
  }
  if (id && replay.has(`${kind}:${id}`)) {
    throw new SsoError('SAML_REPLAY', `${kind} ID`, `this ${kind} was already used to sign in`, {
      [`${kind.toLowerCase()}Id`]: id,
    })
  }
}
