import type { Element } from '@xmldom/xmldom'
import { SsoError } from '../errors/index.ts'
import { attr, firstChildElement, ns, textContent } from '../xml/index.ts'
import { statusCodes } from './constants.ts'

/**
 * saml-core §3.2.2.2: a StatusResponseType message acts only on a top-level Success. Anything
 * else is SAML_STATUS_NOT_SUCCESS with the status, the sub-status and (cut) the message.
 */
export function requireSuccessStatus(
  message: Element,
  check: string,
  reasons: { refused: string; missing: string },
): void {
  const status = firstChildElement(message, ns.samlp, 'Status')
  const code = status ? firstChildElement(status, ns.samlp, 'StatusCode') : undefined
  const value = code ? attr(code, 'Value') : undefined
  if (value === statusCodes.success) return
  const sub = code ? firstChildElement(code, ns.samlp, 'StatusCode') : undefined
  const text = status ? firstChildElement(status, ns.samlp, 'StatusMessage') : undefined
  throw new SsoError('SAML_STATUS_NOT_SUCCESS', check, value ? reasons.refused : reasons.missing, {
    status: value ?? null,
    subStatus: (sub && attr(sub, 'Value')) ?? null,
    message: text ? textContent(text).slice(0, 200) : null,
  })
}
