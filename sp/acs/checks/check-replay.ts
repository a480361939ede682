import { SsoError } from '../../../core/errors/index.ts'
import type { AcsContext } from '../context.ts'

/** saml-profiles §4.1.4.5: a Response or Assertion ID is consumed once. */
export function checkReplay(ctx: AcsContext): void {
  const { replay } = ctx.state
  if (replay === null) {
    ctx.notChecked('offline there is no replay cache to consult')
    return
  }
  for (const [kind, id] of [
    ['Response', ctx.responseId],
    ['Assertion', ctx.assertionId],
  ] as const) {
    if (id && replay.has(`${kind}:${id}`)) {
      throw new SsoError('SAML_REPLAY', `${kind} ID`, `this ${kind} was already used to sign in`, {
        [`${kind.toLowerCase()}Id`]: id,
      })
    }
  }
}
