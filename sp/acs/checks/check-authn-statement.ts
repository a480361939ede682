import { fromEarlier } from '../../../core/checks/from-earlier.ts'
import { SsoError } from '../../../core/errors/index.ts'
import { parseInstant } from '../../../core/saml/time.ts'
import { attr, firstChildElement, ns } from '../../../core/xml/index.ts'
import type { AcsContext } from '../context.ts'
import { expired } from './check-subject.ts'

/** saml-profiles §4.1.4.2: the Assertion carries an AuthnStatement; SessionNotOnOrAfter is honoured. */
export function checkAuthnStatement(ctx: AcsContext): void {
  const statement = firstChildElement(
    fromEarlier(ctx.assertion, 'the Assertion'),
    ns.saml,
    'AuthnStatement',
  )
  if (!statement) {
    throw new SsoError(
      'SAML_AUTHN_STATEMENT_MISSING',
      'AuthnStatement',
      'the Assertion has no AuthnStatement',
      {},
    )
  }
  const authnInstant = attr(statement, 'AuthnInstant')
  if (!authnInstant) {
    throw new SsoError(
      'SAML_AUTHN_STATEMENT_MISSING',
      'AuthnInstant',
      'the AuthnStatement has no AuthnInstant',
      {},
    )
  }
  parseInstant(authnInstant, 'AuthnInstant')
  const sessionNotOnOrAfter = attr(statement, 'SessionNotOnOrAfter')
  if (sessionNotOnOrAfter !== undefined) {
    if (
      ctx.now >=
      parseInstant(sessionNotOnOrAfter, 'SessionNotOnOrAfter') + ctx.settings.clockSkewMs
    ) {
      throw expired('SessionNotOnOrAfter', sessionNotOnOrAfter, ctx)
    }
  }
  ctx.sessionIndex = attr(statement, 'SessionIndex')
}
