import { requireSuccessStatus } from '../../../core/saml/status.ts'
import type { AcsContext } from '../context.ts'

/** saml-core §3.2.2.2: only a top-level Success status carries a sign-in. */
export function checkStatus(ctx: AcsContext): void {
  requireSuccessStatus(ctx.response, 'Status', {
    refused: 'the IdP did not sign the user in',
    missing: 'the Response carries no StatusCode',
  })
}
