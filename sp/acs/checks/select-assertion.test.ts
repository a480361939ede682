import type { Element } from '@xmldom/xmldom'
import { describe, expect, it } from 'vitest'
import { ownerDocumentOf } from '../../../core/xml/index.ts'
import { acsContextFor, refusalOf } from '../../../tests/fixtures/acs-context.ts'
import { selectAssertion } from './select-assertion.ts'

const saml = 'urn:oasis:names:tc:SAML:2.0:assertion'

describe('selectAssertion', () => {
  it('takes the one Assertion, a direct child of the Response, and notes its ID', async () => {
    const ctx = await acsContextFor(selectAssertion)
    selectAssertion(ctx)
    expect(ctx.assertion?.localName).toBe('Assertion')
    expect(ctx.assertionId).toBe('_assertion1')
  })

  it('refuses a Response without an Assertion, or with two (SAML_ASSERTION_COUNT)', async () => {
    const none = await acsContextFor(selectAssertion, {
      edit: (content) => {
        delete (content as { assertion?: unknown }).assertion
      },
      signing: { signResponse: true },
    })
    expect(refusalOf(() => selectAssertion(none)).code).toBe('SAML_ASSERTION_COUNT')
    const two = await acsContextFor(selectAssertion)
    const assertion = two.response.getElementsByTagNameNS(saml, 'Assertion').item(0) as Element
    two.response.appendChild(assertion.cloneNode(true))
    expect(refusalOf(() => selectAssertion(two))).toEqual({
      code: 'SAML_ASSERTION_COUNT',
      check: 'Assertion',
    })
  })

  it('refuses an Assertion hidden deeper than the Response (signature wrapping)', async () => {
    const ctx = await acsContextFor(selectAssertion)
    const assertion = ctx.response.getElementsByTagNameNS(saml, 'Assertion').item(0) as Element
    const extensions = ownerDocumentOf(ctx.response).createElementNS(
      'urn:oasis:names:tc:SAML:2.0:protocol',
      'samlp:Extensions',
    )
    ctx.response.replaceChild(extensions, assertion)
    extensions.appendChild(assertion)
    expect(refusalOf(() => selectAssertion(ctx)).code).toBe('SAML_ASSERTION_COUNT')
  })

  it('refuses a plaintext Assertion when the SP wants it encrypted', async () => {
    const ctx = await acsContextFor(selectAssertion, {
      settings: { wantAssertionsEncrypted: true },
    })
    expect(refusalOf(() => selectAssertion(ctx))).toEqual({
      code: 'SAML_ASSERTION_UNENCRYPTED',
      check: 'EncryptedAssertion',
    })
  })

  it('refuses an Assertion without an ID or Version 2.0 (SAML_RESPONSE_INVALID)', async () => {
    const ctx = await acsContextFor(selectAssertion)
    ctx.response.getElementsByTagNameNS(saml, 'Assertion').item(0)?.removeAttribute('ID')
    expect(refusalOf(() => selectAssertion(ctx))).toEqual({
      code: 'SAML_RESPONSE_INVALID',
      check: 'Assertion',
    })
  })
})
