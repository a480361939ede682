import { SsoError } from '../../../core/errors/index.ts'
import { attr } from '../../../core/xml/index.ts'
import type { AcsContext } from '../context.ts'

/**
 * saml-bindings §3.5.5.2: Destination, when present, must be the ACS URL; a signed Response
 * must carry it.
 */
export function checkDestination(ctx: AcsContext): void {
  const destination = attr(ctx.response, 'Destination')
  if (destination === undefined && !ctx.responseSigned) return
  if (destination !== ctx.settings.acsUrl) {
    throw new SsoError(
      'SAML_DESTINATION_MISMATCH',
      'Destination',
      'the Response was sent to another endpoint',
      {
        expected: ctx.settings.acsUrl,
        received: destination ?? null,
      },
    )
  }
}
