import { fromEarlier } from '../../../core/checks/from-earlier.ts'
import { SsoError } from '../../../core/errors/index.ts'
import { parseInstant } from '../../../core/saml/time.ts'
import { attr, childElements, firstChildElement, ns, textContent } from '../../../core/xml/index.ts'
import type { AcsContext } from '../context.ts'
import { expired } from './check-subject.ts'

/**
 * saml-core §2.5.1: NotBefore ≤ now < NotOnOrAfter (the upper bound is exclusive), each widened
 * by the allowed clock skew; every AudienceRestriction must name this SP (§2.5.1.4).
 */
export function checkConditions(ctx: AcsContext): void {
  const conditions = firstChildElement(
    fromEarlier(ctx.assertion, 'the Assertion'),
    ns.saml,
    'Conditions',
  )
  if (!conditions) {
    throw new SsoError(
      'SAML_CONDITIONS_MISSING',
      'Conditions',
      'the Assertion has no Conditions',
      {},
    )
  }
  const notBeforeText = attr(conditions, 'NotBefore')
  if (notBeforeText !== undefined) {
    const notBefore = parseInstant(notBeforeText, 'Conditions NotBefore')
    if (ctx.now < notBefore - ctx.settings.clockSkewMs) {
      throw new SsoError(
        'SAML_NOT_YET_VALID',
        'Conditions NotBefore',
        'the Assertion is not valid yet',
        {
          notBefore: notBeforeText,
          now: new Date(ctx.now).toISOString(),
          clockSkewSeconds: ctx.settings.clockSkewMs / 1000,
        },
      )
    }
  }
  const notOnOrAfterText = attr(conditions, 'NotOnOrAfter')
  if (notOnOrAfterText !== undefined) {
    const notOnOrAfter = parseInstant(notOnOrAfterText, 'Conditions NotOnOrAfter')
    if (ctx.now >= notOnOrAfter + ctx.settings.clockSkewMs) {
      throw expired('Conditions NotOnOrAfter', notOnOrAfterText, ctx)
    }
  }
  const restrictions = childElements(conditions, ns.saml, 'AudienceRestriction')
  if (restrictions.length === 0) {
    throw new SsoError(
      'SAML_AUDIENCE_MISMATCH',
      'AudienceRestriction',
      'the Assertion names no audience',
      {
        expected: ctx.settings.spEntityId,
      },
    )
  }
  for (const restriction of restrictions) {
    const audiences = childElements(restriction, ns.saml, 'Audience').map((el) =>
      textContent(el).trim(),
    )
    if (!audiences.includes(ctx.settings.spEntityId)) {
      throw new SsoError(
        'SAML_AUDIENCE_MISMATCH',
        'Audience',
        'the Assertion is meant for another service provider',
        {
          expected: ctx.settings.spEntityId,
          received: audiences,
        },
      )
    }
  }
}
