import { describe, expect, it } from 'vitest'
import { parseIdpMetadata } from '../../core/saml/metadata.ts'
import { UserAgent } from '../../harness/http-driver/user-agent.ts'
import { lookAlikeVariants as variants } from '../../idp/faults/look-alike.ts'
import type { FaultInput } from '../../idp/faults/schema.ts'
import { createSp } from '../../sp/create-sp.tsx'
import { idpUrl, spUrl } from '../fixtures/in-process.ts'
import {
  clearCookies,
  contactCount,
  expectAccepted,
  expectRefused,
  type Pair,
  pairWithFaults,
  sessionOf,
  signIn,
} from './faults-support.ts'

const spEntityId = `${spUrl}/saml/metadata`
const lookAlikeVariants = Object.keys(variants) as (keyof typeof variants)[]

/** Fault → the code the reference SP refuses it with (HTTP-POST binding, default SP settings). */
const refused: [string, FaultInput, string][] = [
  ['NotBefore 2 min ahead', { kind: 'saml-clock-skew', skew: '+2m' }, 'SAML_NOT_YET_VALID'],
  ['every time 10 min back', { kind: 'saml-clock-skew', skew: '-10m' }, 'SAML_EXPIRED'],
  [
    'SubjectConfirmationData NotOnOrAfter only, 10 min back',
    { kind: 'saml-clock-skew', skew: '-10m', fields: ['SubjectConfirmationData'] },
    'SAML_EXPIRED',
  ],
  [
    'Conditions NotOnOrAfter only, 10 min back',
    { kind: 'saml-clock-skew', skew: '-10m', fields: ['NotOnOrAfter'] },
    'SAML_EXPIRED',
  ],
  [
    'Conditions NotBefore only, 5 min ahead',
    { kind: 'saml-clock-skew', skew: '5m', fields: ['NotBefore'] },
    'SAML_NOT_YET_VALID',
  ],
  ['another Audience', { kind: 'saml-mismatch', field: 'Audience' }, 'SAML_AUDIENCE_MISMATCH'],
  ['another Recipient', { kind: 'saml-mismatch', field: 'Recipient' }, 'SAML_RECIPIENT_MISMATCH'],
  [
    'another Destination',
    { kind: 'saml-mismatch', field: 'Destination' },
    'SAML_DESTINATION_MISMATCH',
  ],
  ['another Issuer', { kind: 'saml-mismatch', field: 'Issuer' }, 'SAML_ISSUER_MISMATCH'],
  [
    'an InResponseTo of no request of this browser',
    { kind: 'saml-in-response-to' },
    'SAML_IN_RESPONSE_TO_UNKNOWN',
  ],
  ['status AuthnFailed', { kind: 'saml-status', status: 'AuthnFailed' }, 'SAML_STATUS_NOT_SUCCESS'],
  [
    'status RequestDenied',
    { kind: 'saml-status', status: 'RequestDenied' },
    'SAML_STATUS_NOT_SUCCESS',
  ],
  ['status NoPassive', { kind: 'saml-status', status: 'NoPassive' }, 'SAML_STATUS_NOT_SUCCESS'],
  ['unsigned Assertion', { kind: 'saml-unsigned', part: 'assertion' }, 'SAML_ASSERTION_UNSIGNED'],
  ['nothing signed', { kind: 'saml-unsigned', part: 'both' }, 'SAML_ASSERTION_UNSIGNED'],
  [
    'RSA-SHA1 signatures',
    { kind: 'saml-weak-algorithm', signature: 'rsa-sha1' },
    'SAML_SIGNATURE_SHA1',
  ],
  ['SHA-1 digests', { kind: 'saml-weak-algorithm', digest: 'sha1' }, 'SAML_DIGEST_SHA1'],
  [
    'signed with an untrusted key, its certificate in KeyInfo',
    { kind: 'saml-untrusted-key' },
    'SAML_SIGNATURE_INVALID',
  ],
  [
    'signed with a key whose (untrusted) certificate has expired',
    { kind: 'saml-certificate-validity', validity: 'expired' },
    'SAML_SIGNATURE_INVALID',
  ],
  ['NameID changed after signing', { kind: 'saml-tamper' }, 'SAML_SIGNATURE_INVALID'],
  [
    'an attribute changed after signing',
    { kind: 'saml-tamper', target: 'Attribute', name: 'email', value: 'mallory@example.com' },
    'SAML_SIGNATURE_INVALID',
  ],
  [
    'a processing instruction in the NameID',
    { kind: 'saml-nameid-injection', node: 'processing-instruction' },
    'XML_PROCESSING_INSTRUCTION_FORBIDDEN',
  ],
  ['a DOCTYPE with an entity', { kind: 'saml-doctype' }, 'XML_DOCTYPE_FORBIDDEN'],
  [
    'a DOCTYPE with an external entity',
    { kind: 'saml-doctype', payload: 'external-entity' },
    'XML_DOCTYPE_FORBIDDEN',
  ],
  ['billion laughs', { kind: 'saml-doctype', payload: 'billion-laughs' }, 'XML_DOCTYPE_FORBIDDEN'],
  ['two Assertions', { kind: 'saml-two-assertions' }, 'SAML_ASSERTION_COUNT'],
  ['XSW1', { kind: 'saml-xsw', variant: 1 }, 'SAML_SIGNATURE_REFERENCE_INVALID'],
  ['XSW2', { kind: 'saml-xsw', variant: 2 }, 'SAML_SIGNATURE_REFERENCE_INVALID'],
  ['XSW3', { kind: 'saml-xsw', variant: 3 }, 'SAML_ASSERTION_COUNT'],
  ['XSW4', { kind: 'saml-xsw', variant: 4 }, 'SAML_ASSERTION_COUNT'],
  ['XSW5', { kind: 'saml-xsw', variant: 5 }, 'SAML_ASSERTION_COUNT'],
  ['XSW6', { kind: 'saml-xsw', variant: 6 }, 'SAML_ASSERTION_COUNT'],
  ['XSW7', { kind: 'saml-xsw', variant: 7 }, 'SAML_ASSERTION_COUNT'],
  ['XSW8', { kind: 'saml-xsw', variant: 8 }, 'SAML_ASSERTION_COUNT'],
  // Catalogue 2: a SignatureValue that is no signature.
  [
    'an empty SignatureValue',
    { kind: 'saml-signature-value', value: 'empty' },
    'SAML_SIGNATURE_INVALID',
  ],
  [
    'a garbage SignatureValue',
    { kind: 'saml-signature-value', value: 'garbage' },
    'SAML_SIGNATURE_INVALID',
  ],
  // Catalogue 6: refused on the policy, before any transform runs (a broken digest would be
  // SAML_SIGNATURE_INVALID).
  ...(['xslt', 'xpath', 'retrieval-method', 'c14n-with-comments', 'unknown-c14n'] as const).map(
    (transform): [string, FaultInput, string] => [
      `signature transform ${transform}`,
      { kind: 'saml-signature-transform', transform },
      'SAML_SIGNATURE_TRANSFORM_FORBIDDEN',
    ],
  ),
  // Catalogue 8.
  [
    'a second Reference outside SignedInfo',
    { kind: 'saml-signature-structure', change: 'reference-outside-signed-info' },
    'SAML_SIGNATURE_REFERENCE_INVALID',
  ],
  [
    'a second DigestValue outside SignedInfo',
    { kind: 'saml-signature-structure', change: 'digest-value-outside-signed-info' },
    'SAML_SIGNATURE_INVALID',
  ],
  [
    'two SignedInfo',
    { kind: 'saml-signature-structure', change: 'two-signed-info' },
    'SAML_SIGNATURE_REFERENCE_INVALID',
  ],
  [
    'a comment inside DigestValue (the signature still holds)',
    { kind: 'saml-signature-structure', change: 'digest-value-comment' },
    'SAML_SIGNATURE_INVALID',
  ],
  // Catalogue 33: a NameID that imitates another user's, each way the IdP can alter it.
  ...lookAlikeVariants.map((variant): [string, FaultInput, string] => [
    `a NameID imitating carol (${variant})`,
    { kind: 'saml-nameid-look-alike', variant, of: 'carol' },
    'IDENTIFIER_LOOK_ALIKE',
  ]),
  // Catalogue 11.
  ...(['words', 'no-timezone', 'offset'] as const).map((form): [string, FaultInput, string] => [
    `NotOnOrAfter malformed (${form})`,
    { kind: 'saml-malformed-time', form },
    'SAML_TIMESTAMP_INVALID',
  ]),
  [
    'IssueInstant without its Z',
    { kind: 'saml-malformed-time', fields: ['IssueInstant'], form: 'no-timezone' },
    'SAML_TIMESTAMP_INVALID',
  ],
  [
    'SubjectConfirmationData NotOnOrAfter "tomorrow"',
    { kind: 'saml-malformed-time', fields: ['SubjectConfirmationData'] },
    'SAML_TIMESTAMP_INVALID',
  ],
  [
    'IssueInstant only, 10 min ahead',
    { kind: 'saml-clock-skew', skew: '+10m', fields: ['IssueInstant'] },
    'SAML_ISSUED_IN_FUTURE',
  ],
  // Catalogue 12.
  [
    'no InResponseTo in an SP-initiated sign-in',
    { kind: 'saml-in-response-to', answer: 'none' },
    'SAML_IN_RESPONSE_TO_MISSING',
  ],
  // Catalogue 35.
  [
    "the request's InResponseTo on the Response only, none on the SubjectConfirmationData",
    { kind: 'saml-in-response-to', answer: 'envelope-only' },
    'SAML_IN_RESPONSE_TO_MISSING',
  ],
  // Catalogue 13.
  [
    'a DSA-SHA256 signature',
    { kind: 'saml-weak-algorithm', signature: 'dsa-sha256' },
    'SAML_SIGNATURE_ALGORITHM_FORBIDDEN',
  ],
  [
    'an HMAC-SHA256 signature keyed with the IdP certificate',
    { kind: 'saml-weak-algorithm', signature: 'hmac-sha256' },
    'SAML_SIGNATURE_ALGORITHM_FORBIDDEN',
  ],
  [
    'a 1024-bit key whose certificate the SP does not trust',
    { kind: 'saml-short-key' },
    'SAML_SIGNATURE_INVALID',
  ],
  // Catalogue 16.
  [
    'a Response beyond the size cap',
    { kind: 'saml-oversized', dimension: 'size' },
    'XML_TOO_LARGE',
  ],
  [
    'a Response beyond the depth cap',
    { kind: 'saml-oversized', dimension: 'depth' },
    'XML_TOO_DEEP',
  ],
  // Catalogue 17.
  [
    'no AuthnStatement',
    { kind: 'saml-omit', element: 'AuthnStatement' },
    'SAML_AUTHN_STATEMENT_MISSING',
  ],
  ['no NameID', { kind: 'saml-omit', element: 'NameID' }, 'SAML_NAMEID_MISSING'],
  ['an empty NameID', { kind: 'saml-omit', element: 'NameID-text' }, 'SAML_NAMEID_MISSING'],
]

describe('SAML faults: the reference SP refuses each with its own code, signed out, nothing stored', () => {
  it.each(refused)('%s: %o → %s', async (_title, fault, code) => {
    const pair = await pairWithFaults([fault])
    await expectRefused(pair, pair.agent(), code)
    expect(contactCount(pair)).toBe(0)
    expect(pair.log).toContainEqual(expect.stringMatching(`^IdP fault ${fault.kind} \\(fault-1\\)`))
  })

  it('replays the previous Response to this SP → SAML_REPLAY', async () => {
    const pair = await pairWithFaults([])
    const agent = pair.agent()
    await expectAccepted(pair, agent)
    await clearCookies(agent)
    pair.idp.faults.add({ kind: 'saml-replay' })
    await expectRefused(pair, agent, 'SAML_REPLAY')
  })

  it('a NameID split by a comment reads as the whole signed value, never the part before it', async () => {
    const pair = await pairWithFaults([{ kind: 'saml-nameid-injection', node: 'comment' }])
    const agent = pair.agent()
    const result = await signIn(pair, agent)
    expect(result.code).toBeNull()
    expect((await sessionOf(agent)).subject?.nameId).toBe('alice.evil.example')
  })
})

describe('an IdP certificate outside its validity window, trusted from the metadata', () => {
  /** An SP configured from the IdP metadata as it is now (with the fault's certificate in it). */
  function spReadingMetadataNow(pair: Pair) {
    const certificates = parseIdpMetadata(pair.idp.metadata()).signingCertificates
    expect(certificates).toHaveLength(2)
    const sp = createSp({
      ...pair.sp.options,
      idp: { ...pair.sp.config.idp, certificates },
    })
    const agent = new UserAgent({
      origins: { [idpUrl]: pair.idp.app.fetch, [spUrl]: sp.app.fetch },
    })
    return { pair: { ...pair, sp }, agent }
  }

  it.each([
    ['expired', 'SAML_IDP_CERTIFICATE_EXPIRED'],
    ['not-yet-valid', 'SAML_IDP_CERTIFICATE_NOT_YET_VALID'],
  ] as const)(
    '%s → %s; once the one-shot fault is spent, the IdP signs validly again',
    async (validity, code) => {
      const faulty = await pairWithFaults([
        { kind: 'saml-certificate-validity', validity, remaining: 1 },
      ])
      const { pair, agent } = spReadingMetadataNow(faulty)
      await expectRefused(pair, agent, code)
      expect(parseIdpMetadata(pair.idp.metadata()).signingCertificates).toHaveLength(1)
      await expectAccepted(pair, agent)
    },
  )

  it('a 1024-bit signing key, its certificate in the metadata → SAML_SIGNING_KEY_TOO_SHORT', async () => {
    const faulty = await pairWithFaults([{ kind: 'saml-short-key', remaining: 1 }])
    const { pair, agent } = spReadingMetadataNow(faulty)
    await expectRefused(pair, agent, 'SAML_SIGNING_KEY_TOO_SHORT')
    await expectAccepted(pair, agent)
  })
})

describe('InResponseTo in an SP-initiated sign-in (catalogue 12)', () => {
  it("a Response answering another visitor's pending request → SAML_IN_RESPONSE_TO_UNKNOWN", async () => {
    const pair = await pairWithFaults([])
    // Bob's browser starts a sign-in and stops at the IdP's form: his AuthnRequest is pending.
    const bob = pair.agent()
    const bobAtIdp = await bob.navigate(`${spUrl}/login`)
    const [bobsRequest] = pair.idp.journal.list({ sp: spEntityId, message: 'AuthnRequest' })
    if (bobsRequest?.message !== 'AuthnRequest') throw new Error('the IdP journalled no request')
    // Alice's Response answers Bob's request (the fault takes the SP's latest other request).
    pair.idp.faults.add({ kind: 'saml-in-response-to', remaining: 1 })
    const refused = await expectRefused(pair, pair.agent(), 'SAML_IN_RESPONSE_TO_UNKNOWN')
    expect(refused.page.html).toContain(bobsRequest.id)
    // Bob's request was not consumed by the refusal: he still signs in.
    await bob.submit(
      bobAtIdp,
      '#login-form',
      { username: 'bob' },
      { name: 'action', value: 'login' },
    )
    expect((await sessionOf(bob)).subject?.nameId).toBe('bob')
  })

  it('no InResponseTo while this browser waits is refused even where unsolicited responses are allowed', async () => {
    const pair = await pairWithFaults([{ kind: 'saml-in-response-to', answer: 'none' }], {
      sp: { allowUnsolicited: true },
    })
    await expectRefused(pair, pair.agent(), 'SAML_IN_RESPONSE_TO_MISSING')
  })

  it('the same Response, unsolicited, is accepted where allowed and nothing is pending', async () => {
    const pair = await pairWithFaults([], { sp: { allowUnsolicited: true } })
    const agent = pair.agent()
    const form = await agent.navigate(
      `${idpUrl}/saml/idp-initiated?sp=${encodeURIComponent(spEntityId)}`,
    )
    await agent.submit(
      form,
      '#login-form',
      { username: 'alice' },
      { name: 'action', value: 'login' },
    )
    expect((await sessionOf(agent)).subject?.nameId).toBe('alice')
  })
})

describe('valid counterparts: what the SP must still accept', () => {
  it.each([
    ['every time 30 s ahead (within the 60 s skew)', { kind: 'saml-clock-skew', skew: '30s' }],
    ['every time 30 s back', { kind: 'saml-clock-skew', skew: '-30s' }],
    [
      'NotOnOrAfter 5 min 30 s back: 30 s left within the skew',
      {
        kind: 'saml-clock-skew',
        skew: '-5m30s',
        fields: ['NotOnOrAfter', 'SubjectConfirmationData'],
      },
    ],
    [
      'an unsigned Response around a signed Assertion (the SP does not want the Response signed)',
      { kind: 'saml-unsigned', part: 'response' },
    ],
    [
      'IssueInstant only, 10 min back: NotOnOrAfter still holds',
      { kind: 'saml-clock-skew', skew: '-10m', fields: ['IssueInstant'] },
    ],
    [
      'IssueInstant only, 30 s ahead (within the skew)',
      { kind: 'saml-clock-skew', skew: '+30s', fields: ['IssueInstant'] },
    ],
  ] as [string, FaultInput][])('%s', async (_title, fault) => {
    const pair = await pairWithFaults([fault])
    await expectAccepted(pair, pair.agent())
  })

  it('the 61st second past NotOnOrAfter is refused (the bound is exclusive)', async () => {
    const pair = await pairWithFaults([
      { kind: 'saml-clock-skew', skew: '-6m', fields: ['NotOnOrAfter', 'SubjectConfirmationData'] },
    ])
    await expectRefused(pair, pair.agent(), 'SAML_EXPIRED')
  })

  it('a one-shot fault shapes one Response; the next sign-in is accepted', async () => {
    const pair = await pairWithFaults([{ kind: 'saml-tamper', remaining: 1 }])
    const agent = pair.agent()
    await expectRefused(pair, agent, 'SAML_SIGNATURE_INVALID')
    expect(pair.idp.faults.list()).toEqual([])
    await expectAccepted(pair, agent)
  })

  it('a fault for two uses shapes two Responses', async () => {
    const pair = await pairWithFaults([{ kind: 'saml-xsw', variant: 3, remaining: 2 }])
    const agent = pair.agent()
    await expectRefused(pair, agent, 'SAML_ASSERTION_COUNT')
    expect(pair.idp.faults.list()).toMatchObject([{ remaining: 1 }])
    await expectRefused(pair, agent, 'SAML_ASSERTION_COUNT')
    await expectAccepted(pair, agent)
  })

  it('a fault scoped to another SP or another user leaves this sign-in alone', async () => {
    const pair = await pairWithFaults([
      { kind: 'saml-tamper', sp: 'https://other-sp.example/saml/metadata' },
      { kind: 'saml-untrusted-key', sp: spEntityId, user: 'bob' },
    ])
    const agent = pair.agent()
    await expectAccepted(pair, agent)
    await clearCookies(agent)
    await expectRefused(pair, agent, 'SAML_SIGNATURE_INVALID', 'bob')
  })

  it('a fault lasts until cleared', async () => {
    const pair = await pairWithFaults([{ kind: 'saml-mismatch', field: 'Audience' }])
    const agent = pair.agent()
    await expectRefused(pair, agent, 'SAML_AUDIENCE_MISMATCH')
    await expectRefused(pair, agent, 'SAML_AUDIENCE_MISMATCH')
    expect(pair.idp.faults.clear()).toBe(1)
    await expectAccepted(pair, agent)
  })
})

describe('faults on an SP that wants the Assertion encrypted', () => {
  it.each([
    ['times 10 min back', { kind: 'saml-clock-skew', skew: '-10m' }, 'SAML_EXPIRED'],
    [
      'NameID changed after signing, before encryption',
      { kind: 'saml-tamper' },
      'SAML_SIGNATURE_INVALID',
    ],
    ['an untrusted key', { kind: 'saml-untrusted-key' }, 'SAML_SIGNATURE_INVALID'],
    ['XSW3', { kind: 'saml-xsw', variant: 3 }, 'SAML_ASSERTION_COUNT'],
    ['XSW1', { kind: 'saml-xsw', variant: 1 }, 'SAML_SIGNATURE_REFERENCE_INVALID'],
    ['another Audience', { kind: 'saml-mismatch', field: 'Audience' }, 'SAML_AUDIENCE_MISMATCH'],
  ] as [string, FaultInput, string][])('%s: %o → %s', async (_title, fault, code) => {
    const pair = await pairWithFaults([fault], { spRegistration: { encryptAssertion: true } })
    await expectRefused(pair, pair.agent(), code)
  })
})
