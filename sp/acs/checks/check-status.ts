import { SsoError } from '../../../core/errors/index.ts'
import { statusCodes } from '../../../core/saml/constants.ts'
import { requireSuccessStatus } from '../../../core/saml/status.ts'
import type { AcsContext } from '../context.ts'

/**
 * saml-core §3.2.2.2: only a top-level Success status carries a sign-in. A NoAuthnContext
 * second-level status (the IdP cannot meet the RequestedAuthnContext) has a code of its own.
 */
export function checkStatus(ctx: AcsContext): void {
  try {
    requireSuccessStatus(ctx.response, 'Status', {
      refused: 'the IdP did not sign the user in',
      missing: 'the Response carries no StatusCode',
    })
  } catch (error) {
    if (error instanceof SsoError && error.evidence.subStatus === statusCodes.noAuthnContext) {
      throw new SsoError(
        'SP_AUTHN_CONTEXT_UNAVAILABLE',
        'Status',
        'the IdP cannot sign this user in with the authentication context required',
        error.evidence,
      )
    }
    throw error
  }
}
