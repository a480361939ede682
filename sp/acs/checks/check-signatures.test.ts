import { describe, expect, it } from 'vitest'
import { acsContextFor, refusalOf } from '../../../tests/fixtures/acs-context.ts'
import { testCredentials } from '../../../tests/fixtures/in-process.ts'
import { checkAssertionSignature, checkResponseSignature } from './check-signatures.ts'

describe('checkResponseSignature', () => {
  it('passes a Response signed by the IdP, and notes the algorithm', async () => {
    const ctx = await acsContextFor(checkResponseSignature, { signing: { signResponse: true } })
    checkResponseSignature(ctx)
    expect(ctx.signatureAlgorithm).toBe('rsa-sha256')
  })

  it('passes an unsigned Response unless the SP wants it signed (SAML_RESPONSE_UNSIGNED)', async () => {
    const ctx = await acsContextFor(checkResponseSignature)
    expect(() => checkResponseSignature(ctx)).not.toThrow()
    ctx.settings.wantResponseSigned = true
    expect(refusalOf(() => checkResponseSignature(ctx))).toEqual({
      code: 'SAML_RESPONSE_UNSIGNED',
      check: 'Signature (Response)',
    })
  })

  it('refuses a Response signed with a key the SP does not trust', async () => {
    const { other } = await testCredentials()
    const ctx = await acsContextFor(checkResponseSignature, { signing: { signResponse: true } })
    ctx.settings.idpCertificates = [other.certificatePem]
    expect(refusalOf(() => checkResponseSignature(ctx)).code).toBe('SAML_SIGNATURE_INVALID')
  })

  it('refuses a signed Response changed after signing', async () => {
    const ctx = await acsContextFor(checkResponseSignature, { signing: { signResponse: true } })
    ctx.response.setAttribute('Destination', 'https://sp.example/elsewhere')
    expect(refusalOf(() => checkResponseSignature(ctx)).code).toBe('SAML_SIGNATURE_INVALID')
  })
})

describe('checkAssertionSignature', () => {
  it('passes an Assertion signed by the IdP', async () => {
    const ctx = await acsContextFor(checkAssertionSignature)
    checkAssertionSignature(ctx)
    expect(ctx.assertionSigned).toBe(true)
  })

  it('refuses an Assertion changed after signing', async () => {
    const ctx = await acsContextFor(checkAssertionSignature)
    ctx.assertion?.setAttribute('IssueInstant', '2030-06-01T12:00:30Z')
    expect(refusalOf(() => checkAssertionSignature(ctx)).code).toBe('SAML_SIGNATURE_INVALID')
  })

  it('refuses an unsigned Assertion the SP wants signed, even in a signed Response', async () => {
    const ctx = await acsContextFor(checkAssertionSignature, {
      signing: { signResponse: true, signAssertion: false },
    })
    expect(refusalOf(() => checkAssertionSignature(ctx))).toEqual({
      code: 'SAML_ASSERTION_UNSIGNED',
      check: 'Signature (Assertion)',
    })
    ctx.settings.wantAssertionsSigned = false
    expect(() => checkAssertionSignature(ctx)).not.toThrow()
  })

  it('refuses when neither the Response nor the Assertion is signed (SAML_SIGNATURE_MISSING)', async () => {
    const ctx = await acsContextFor(checkAssertionSignature, {
      signing: { signAssertion: false },
      settings: { wantAssertionsSigned: false },
    })
    expect(refusalOf(() => checkAssertionSignature(ctx))).toEqual({
      code: 'SAML_SIGNATURE_MISSING',
      check: 'Signature',
    })
  })
})
