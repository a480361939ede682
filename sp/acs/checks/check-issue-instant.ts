import type { Element } from '@xmldom/xmldom'
import { fromEarlier } from '../../../core/checks/from-earlier.ts'
import { SsoError } from '../../../core/errors/index.ts'
import { parseInstant } from '../../../core/saml/time.ts'
import { attr } from '../../../core/xml/index.ts'
import type { AcsContext } from '../context.ts'

/**
 * saml-core §3.2.2 and §2.3.3: IssueInstant is when the Response and the Assertion were made, so
 * neither may lie ahead of the SP clock beyond the allowed skew. An old IssueInstant is no reason
 * to refuse: NotOnOrAfter is the IdP's own statement of how long the Assertion holds, and the
 * replay cache keeps its IDs until then.
 */
export function checkIssueInstant(ctx: AcsContext): void {
  const issued: [string, Element][] = [
    ['Response IssueInstant', ctx.response],
    ['Assertion IssueInstant', fromEarlier(ctx.assertion, 'the Assertion')],
  ]
  for (const [check, element] of issued) {
    const text = attr(element, 'IssueInstant')
    if (text === undefined) continue
    if (parseInstant(text, check) > ctx.now + ctx.settings.clockSkewMs) {
      throw new SsoError('SAML_ISSUED_IN_FUTURE', check, `${check} lies in the future`, {
        issueInstant: text,
        now: new Date(ctx.now).toISOString(),
        clockSkewSeconds: ctx.settings.clockSkewMs / 1000,
      })
    }
  }
}
