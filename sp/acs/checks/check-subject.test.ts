import type { Element } from '@xmldom/xmldom'
import { describe, expect, it } from 'vitest'
import { ownerDocumentOf } from '../../../core/xml/index.ts'
import { acsContextFor, checkedAt, refusalOf } from '../../../tests/fixtures/acs-context.ts'
import { checkSubject } from './check-subject.ts'

const saml = 'urn:oasis:names:tc:SAML:2.0:assertion'
const first = (ctx: { assertion?: Element }, name: string) =>
  ctx.assertion?.getElementsByTagNameNS(saml, name).item(0) as Element

describe('checkSubject', () => {
  it('passes a NameID with a bearer confirmation for this ACS, and notes what it read', async () => {
    const ctx = await acsContextFor(checkSubject)
    checkSubject(ctx)
    expect(ctx.nameId).toBe('alice@example.com')
    expect(ctx.nameIdFormat).toBe('urn:oasis:names:tc:SAML:1.1:nameid-format:emailAddress')
    expect(ctx.inResponseTo).toBe('_request1')
  })

  it('refuses an Assertion without a Subject, or with an empty NameID', async () => {
    const none = await acsContextFor(checkSubject)
    none.assertion?.removeChild(first(none, 'Subject'))
    expect(refusalOf(() => checkSubject(none))).toEqual({
      code: 'SAML_SUBJECT_INVALID',
      check: 'Subject',
    })
    const empty = await acsContextFor(checkSubject, {
      edit: (content) => {
        content.assertion.nameId = ' '
      },
    })
    expect(refusalOf(() => checkSubject(empty))).toEqual({
      code: 'SAML_NAMEID_MISSING',
      check: 'NameID',
    })
  })

  it('refuses an EncryptedID when the SP has no decryption key', async () => {
    const ctx = await acsContextFor(checkSubject)
    const nameId = first(ctx, 'NameID')
    const encrypted = ownerDocumentOf(ctx.response).createElementNS(saml, 'saml:EncryptedID')
    nameId.parentNode?.replaceChild(encrypted, nameId)
    expect(refusalOf(() => checkSubject(ctx))).toEqual({
      code: 'SAML_ENCRYPTED_UNSUPPORTED',
      check: 'EncryptedID',
    })
  })

  it('refuses a Subject with no bearer confirmation', async () => {
    const ctx = await acsContextFor(checkSubject)
    first(ctx, 'SubjectConfirmation').setAttribute(
      'Method',
      'urn:oasis:names:tc:SAML:2.0:cm:holder-of-key',
    )
    expect(refusalOf(() => checkSubject(ctx))).toEqual({
      code: 'SAML_SUBJECT_CONFIRMATION_INVALID',
      check: 'SubjectConfirmation',
    })
  })

  it('refuses a confirmation for another ACS as SAML_RECIPIENT_MISMATCH', async () => {
    const ctx = await acsContextFor(checkSubject, {
      edit: (content) => {
        content.assertion.recipient = 'https://other-sp.example/acs'
      },
    })
    expect(refusalOf(() => checkSubject(ctx))).toEqual({
      code: 'SAML_RECIPIENT_MISMATCH',
      check: 'Recipient',
    })
  })

  it('refuses a confirmation past NotOnOrAfter, not yet valid, or without NotOnOrAfter', async () => {
    const ctx = await acsContextFor(checkSubject)
    const data = first(ctx, 'SubjectConfirmationData')
    data.setAttribute('NotOnOrAfter', new Date(checkedAt - 60_000).toISOString())
    expect(refusalOf(() => checkSubject(ctx))).toEqual({
      code: 'SAML_EXPIRED',
      check: 'SubjectConfirmationData NotOnOrAfter',
    })
    data.setAttribute('NotOnOrAfter', new Date(checkedAt + 60_000).toISOString())
    data.setAttribute('NotBefore', new Date(checkedAt + 61_000).toISOString())
    expect(refusalOf(() => checkSubject(ctx))).toEqual({
      code: 'SAML_NOT_YET_VALID',
      check: 'SubjectConfirmationData NotBefore',
    })
    data.removeAttribute('NotBefore')
    data.removeAttribute('NotOnOrAfter')
    expect(refusalOf(() => checkSubject(ctx))).toEqual({
      code: 'SAML_SUBJECT_CONFIRMATION_INVALID',
      check: 'SubjectConfirmationData NotOnOrAfter',
    })
  })

  it('refuses a confirmation answering another request than the Response', async () => {
    const ctx = await acsContextFor(checkSubject)
    first(ctx, 'SubjectConfirmationData').setAttribute('InResponseTo', '_request2')
    expect(refusalOf(() => checkSubject(ctx))).toEqual({
      code: 'SAML_IN_RESPONSE_TO_UNKNOWN',
      check: 'SubjectConfirmationData InResponseTo',
    })
  })
})
