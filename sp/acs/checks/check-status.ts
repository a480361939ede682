import { SsoError } from '../../../core/errors/index.ts'
import { statusCodes } from '../../../core/saml/constants.ts'
import { attr, firstChildElement, ns, textContent } from '../../../core/xml/index.ts'
import type { AcsContext } from '../context.ts'

/** saml-core §3.2.2.2: only a top-level Success status carries a sign-in. */
export function checkStatus(ctx: AcsContext): void {
  const status = firstChildElement(ctx.response, ns.samlp, 'Status')
  const code = status ? firstChildElement(status, ns.samlp, 'StatusCode') : undefined
  const value = code ? attr(code, 'Value') : undefined
  if (value === statusCodes.success) return
  const sub = code ? firstChildElement(code, ns.samlp, 'StatusCode') : undefined
  const message = status ? firstChildElement(status, ns.samlp, 'StatusMessage') : undefined
  throw new SsoError(
    'SAML_STATUS_NOT_SUCCESS',
    'Status',
    value ? 'the IdP did not sign the user in' : 'the Response carries no StatusCode',
    {
      status: value ?? null,
      subStatus: (sub && attr(sub, 'Value')) ?? null,
      message: message ? textContent(message).slice(0, 200) : null,
    },
  )
}
