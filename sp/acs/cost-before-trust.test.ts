import type { Element } from '@xmldom/xmldom'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { C14nCanonicalization, ExclusiveCanonicalization } from 'xml-crypto'
import { xmlLimits } from '../../core/xml/index.ts'
import { signElement } from '../../core/xmldsig/index.ts'
import { idpUrl, spUrl } from '../../tests/fixtures/in-process.ts'
import { fuzzPair } from '../../tests/fuzz/fuzz-pair.ts'
import { samlResponse } from '../../tests/fuzz/valid-messages.ts'

/**
 * Catalogue case 38, cost before trust, counted rather than timed: every canonicalization the
 * SP runs goes through one of xml-crypto's canonicalizers, exclusive c14n or c14n 1.0 (the
 * SignedInfo before its RSA verification, the signed element before its digest). A forged message that a cheap check
 * refuses — wrong Destination or Issuer, no sign-in waiting, a failure status, too many
 * attributes, a signed part beyond the cap — is never canonicalized; one with a made-up
 * SignatureValue only its few hundred bytes of SignedInfo.
 */
let canonicalized: Element[] = []
beforeEach(() => {
  canonicalized = []
  for (const canonicalizer of [ExclusiveCanonicalization, C14nCanonicalization]) {
    const original = canonicalizer.prototype.process
    vi.spyOn(canonicalizer.prototype, 'process').mockImplementation(function (
      this: ExclusiveCanonicalization,
      ...args: Parameters<ExclusiveCanonicalization['process']>
    ) {
      canonicalized.push(args[0] as Element)
      return original.apply(this, args)
    })
  }
})
afterEach(() => {
  vi.restoreAllMocks()
})

/** The names of the elements canonicalized, in order. */
const work = () => canonicalized.map((node) => node.localName)
/** The signed elements canonicalized for their digest (SignedInfo aside). */
const digested = () => work().filter((name) => name !== 'SignedInfo')

async function deliver(change: (xml: string) => string, fromBrowser: 'same' | 'fresh' = 'same') {
  const pair = await fuzzPair()
  const { agent, xml, relayState } = await samlResponse(pair)
  canonicalized = []
  const sender = fromBrowser === 'same' ? agent : pair.agent()
  const page = await sender.request(`${spUrl}/saml/acs`, {
    method: 'POST',
    form: { SAMLResponse: Buffer.from(change(xml)).toString('base64'), RelayState: relayState },
    from: `${idpUrl}/`,
  })
  return { status: page.status, code: page.document.querySelector('#error-code')?.text }
}

const idpEntityId = `${idpUrl}/saml/metadata`
/** Element-stuffed within the XML caps: canonicalizing it would be the costliest work. */
const stuffing = '<x/>'.repeat(xmlLimits.maxNodes - 1_000)

describe('cheap checks before canonicalization and digest (catalogue case 38)', () => {
  it('canonicalizes the SignedInfo and the signed elements of a genuine Response (the spy sees the work)', async () => {
    const answer = await deliver((xml) => xml)
    expect(answer.status).toBe(303)
    expect(digested()).toEqual(['Response', 'Assertion'])
    expect(work().length).toBeGreaterThan(2)
  })

  it.each([
    [
      'another Destination',
      (xml: string) => xml.replace(`Destination="${spUrl}/saml/acs"`, 'Destination="https://x/"'),
      'SAML_DESTINATION_MISMATCH',
    ],
    [
      'another Issuer, element-stuffed',
      (xml: string) =>
        xml
          .replaceAll(idpEntityId, 'https://idp.evil.example/')
          .replace('</saml:AttributeValue>', `${stuffing}</saml:AttributeValue>`),
      'SAML_ISSUER_MISMATCH',
    ],
    [
      'a failure status',
      (xml: string) => xml.replace(':status:Success', ':status:Requester'),
      'SAML_STATUS_NOT_SUCCESS',
    ],
    [
      '100,000 attributes on one element (900 KB)',
      (xml: string) =>
        xml.replace(
          '<saml:AttributeValue',
          `<saml:AttributeValue ${Array.from({ length: 100_000 }, (_, i) => `a${i}=""`).join(' ')}`,
        ),
      'XML_TOO_MANY_ATTRIBUTES',
    ],
  ])('refuses %s without canonicalizing anything', async (_, change, code) => {
    const answer = await deliver(change)
    expect(answer.code).toBe(code)
    expect(work()).toEqual([])
  })

  it('refuses an unsolicited Response to a browser that started no sign-in before any signature work', async () => {
    const answer = await deliver((xml) => xml.replace(/ InResponseTo="[^"]*"/g, ''), 'fresh')
    expect(answer.code).toBe('SAML_UNSOLICITED_NOT_ALLOWED')
    expect(work()).toEqual([])
  })

  it('verifies a made-up SignatureValue on SignedInfo alone, never digesting the stuffed element', async () => {
    const answer = await deliver((xml) =>
      xml
        .replace(/<ds:SignatureValue>[^<]{8}/, '<ds:SignatureValue>AAAAAAAA')
        .replace('</saml:AttributeValue>', `${stuffing.slice(0, 4 * 5_000)}</saml:AttributeValue>`),
    )
    expect(answer.code).toBe('SAML_SIGNATURE_INVALID')
    expect(work()).toContain('SignedInfo')
    expect(digested()).toEqual([])
  })

  it('measures the signed part before canonicalizing it: beyond the cap it is refused unread', async () => {
    const pair = await fuzzPair()
    const { agent, xml, relayState } = await samlResponse(pair)
    // Signed again by the IdP's own key: everything but the size is right.
    const unsigned = xml
      .replace(/<ds:Signature[\s\S]*?<\/ds:Signature>/g, '')
      .replace(
        '</saml:AttributeValue>',
        `${'<x/>'.repeat(xmlLimits.maxSignedItems)}</saml:AttributeValue>`,
      )
    const assertionId = /<saml:Assertion[^>]* ID="([^"]+)"/.exec(unsigned)?.[1] ?? ''
    const signed = signElement(unsigned, {
      id: assertionId,
      privateKeyPem: pair.keys.idp.privateKeyPem,
      certificatePem: pair.keys.idp.certificatePem,
    })
    canonicalized = []
    const page = await agent.request(`${spUrl}/saml/acs`, {
      method: 'POST',
      form: { SAMLResponse: Buffer.from(signed).toString('base64'), RelayState: relayState },
      from: `${idpUrl}/`,
    })
    expect(page.document.querySelector('#error-code')?.text).toBe('SAML_SIGNED_ELEMENT_TOO_LARGE')
    expect(work()).toEqual([])
  })
})
