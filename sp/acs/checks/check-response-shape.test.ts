import type { Element } from '@xmldom/xmldom'
import { describe, expect, it } from 'vitest'
import { ownerDocumentOf } from '../../../core/xml/index.ts'
import { acsContextFor, refusalOf } from '../../../tests/fixtures/acs-context.ts'
import { checkResponseShape } from './check-response-shape.ts'

describe('checkResponseShape', () => {
  it('passes a samlp:Response 2.0 with an ID and IssueInstant, and notes its ID', async () => {
    const ctx = await acsContextFor(checkResponseShape)
    checkResponseShape(ctx)
    expect(ctx.responseId).toBe('_response1')
  })

  it.each([
    ['Version', (root: Element) => root.setAttribute('Version', '1.1')],
    ['ID', (root: Element) => root.removeAttribute('ID')],
    ['IssueInstant', (root: Element) => root.removeAttribute('IssueInstant')],
  ])('refuses a Response without the right %s as SAML_RESPONSE_INVALID', async (check, change) => {
    const ctx = await acsContextFor(checkResponseShape)
    change(ctx.response)
    expect(refusalOf(() => checkResponseShape(ctx))).toEqual({
      code: 'SAML_RESPONSE_INVALID',
      check,
    })
  })

  it('refuses another root element', async () => {
    const ctx = await acsContextFor(checkResponseShape)
    ctx.response = ownerDocumentOf(ctx.response).createElementNS(
      'urn:oasis:names:tc:SAML:2.0:protocol',
      'samlp:LogoutResponse',
    )
    expect(refusalOf(() => checkResponseShape(ctx))).toEqual({
      code: 'SAML_RESPONSE_INVALID',
      check: 'Response',
    })
  })

  it('refuses an IssueInstant that is no xs:dateTime', async () => {
    const ctx = await acsContextFor(checkResponseShape)
    ctx.response.setAttribute('IssueInstant', 'yesterday')
    expect(refusalOf(() => checkResponseShape(ctx)).check).toBe('IssueInstant')
  })
})
