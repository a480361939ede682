import { SsoError } from '../../../core/errors/index.ts'
import { attr, ns } from '../../../core/xml/index.ts'
import type { AcsContext } from '../context.ts'

/**
 * Exactly one Assertion in the whole document, and it is a direct child of the Response: an
 * Assertion anywhere else (in Extensions, in a Signature Object, beside an evil copy) is how
 * signature-wrapping attacks hide the signed one.
 */
export function selectAssertion(ctx: AcsContext): void {
  const doc = ctx.response.ownerDocument
  const encrypted = doc.getElementsByTagNameNS(ns.saml, 'EncryptedAssertion')
  if (encrypted.length > 0) {
    throw new SsoError(
      'SAML_ENCRYPTED_UNSUPPORTED',
      'EncryptedAssertion',
      'the Response carries an encrypted assertion, which this SP is not set up to decrypt',
      {},
    )
  }
  const assertions = doc.getElementsByTagNameNS(ns.saml, 'Assertion')
  if (assertions.length !== 1) {
    throw new SsoError(
      'SAML_ASSERTION_COUNT',
      'Assertion',
      `the Response holds ${assertions.length} Assertions; exactly one is required`,
      {
        count: assertions.length,
      },
    )
  }
  const assertion = assertions.item(0) as Element
  if (assertion.parentNode !== ctx.response) {
    throw new SsoError(
      'SAML_ASSERTION_COUNT',
      'Assertion',
      'the Assertion is not a direct child of the Response',
      {
        parent: (assertion.parentNode as Element | null)?.localName ?? null,
      },
    )
  }
  const id = attr(assertion, 'ID')
  if (!id || attr(assertion, 'Version') !== '2.0') {
    throw new SsoError(
      'SAML_RESPONSE_INVALID',
      'Assertion',
      'the Assertion needs an ID and Version 2.0',
      {},
    )
  }
  ctx.assertion = assertion
  ctx.assertionId = id
}
