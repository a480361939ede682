import type { Element } from '@xmldom/xmldom'
import { SsoError } from '../../../core/errors/index.ts'
import { firstChildElement, ns, textContent } from '../../../core/xml/index.ts'
import type { AcsContext } from '../context.ts'

/** saml-profiles §4.1.4.2: the Response Issuer, when present, is the configured IdP. */
export function checkResponseIssuer(ctx: AcsContext): void {
  const issuer = firstChildElement(ctx.response, ns.saml, 'Issuer')
  if (issuer) compareIssuer(ctx, issuer, 'Issuer (Response)')
}

/** saml-core §2.3.3: every Assertion has an Issuer; it must be the configured IdP. */
export function checkAssertionIssuer(ctx: AcsContext): void {
  const issuer = ctx.assertion ? firstChildElement(ctx.assertion, ns.saml, 'Issuer') : undefined
  if (!issuer) {
    throw new SsoError(
      'SAML_ISSUER_MISMATCH',
      'Issuer (Assertion)',
      'the Assertion has no Issuer',
      {
        expected: ctx.settings.idpEntityId,
        received: null,
      },
    )
  }
  compareIssuer(ctx, issuer, 'Issuer (Assertion)')
}

function compareIssuer(ctx: AcsContext, issuer: Element, check: string): void {
  const value = textContent(issuer).trim()
  if (value !== ctx.settings.idpEntityId) {
    throw new SsoError('SAML_ISSUER_MISMATCH', check, 'the Issuer is not the configured IdP', {
      expected: ctx.settings.idpEntityId,
      received: value,
    })
  }
}
