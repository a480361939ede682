import { constants, privateDecrypt, publicEncrypt } from 'node:crypto'
import { existsSync, readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import { checkResponse } from './check-response.ts'

/**
 * The public python3-saml responses with their expected verdicts (../shared/corpus, README.md
 * there), run through checkResponse, the function behind `ssoproof check saml`, with the
 * allowances its 2014-era accepts need: legacy crypto (RSA-SHA1, SHA-1 digests, 1024-bit keys,
 * RSA 1.5) and certificate validity ignored (settings1's certificate expired in 2007).
 */
const corpus = new URL('../../../shared/corpus/python3-saml/', import.meta.url)

interface Entry {
  file: string
  expect: 'accept' | 'reject'
  reason: string
  sp: { entityId: string; acsUrl: string }
  idp: { entityId: string; cert: string }
  at: string
  inResponseTo: string | null
  requireSignedAssertion: boolean
  requireSignedResponse: boolean
  encrypted: boolean
  spKey: string | null
}

if (!existsSync(new URL('manifest.json', corpus))) {
  throw new Error(
    `the python3-saml corpus is missing at ${corpus.pathname}; clone the project with ../shared beside it`,
  )
}
const manifest: Entry[] = JSON.parse(readFileSync(new URL('manifest.json', corpus), 'utf8'))
const read = (name: string) => readFileSync(new URL(name, corpus), 'utf8')

function check(entry: Entry) {
  return checkResponse(read(entry.file), {
    settings: {
      spEntityId: entry.sp.entityId,
      acsUrl: entry.sp.acsUrl,
      idpEntityId: entry.idp.entityId,
      idpCertificates: [read(entry.idp.cert)],
      clockSkewMs: 60_000,
      wantAssertionsSigned: entry.requireSignedAssertion,
      wantResponseSigned: entry.requireSignedResponse,
      allowLegacyCrypto: true,
      ignoreCertificateValidity: true,
      ...(entry.spKey ? { decryptionKeyPem: read(entry.spKey) } : {}),
    },
    at: Date.parse(entry.at),
    // null: upstream passed no request ID, so InResponseTo is not checked.
    inResponseTo: entry.inResponseTo ?? undefined,
  })
}

/**
 * Node.js refuses PKCS#1 v1.5 private decryption (CVE-2023-46809) unless its OpenSSL does
 * implicit rejection (or the process runs with --security-revert); ssoproof does not carry an
 * RSA 1.5 implementation of its own.
 */
function runtimeDecryptsRsa1_5(): boolean {
  const key = read('sp-key.pem')
  try {
    const sealed = publicEncrypt({ key, padding: constants.RSA_PKCS1_PADDING }, Buffer.from('x'))
    return privateDecrypt({ key, padding: constants.RSA_PKCS1_PADDING }, sealed).equals(
      Buffer.from('x'),
    )
  } catch {
    return false
  }
}

/**
 * The two entries whose content key is wrapped with RSA 1.5: legacy mode lets RSA 1.5 through,
 * so where the runtime decrypts it they fail on the manifest's own reason; elsewhere they fail
 * at decryption, with a reason that names the runtime's refusal.
 */
const rsa1_5Failure = runtimeDecryptsRsa1_5()
  ? new Map<string, [code: string, check: string]>([
      ['valid_encrypted_assertion.xml.base64', ['SAML_SIGNATURE_MISSING', 'Signature']],
      [
        'valid_encrypted_assertion_encrypted_nameid.xml.base64',
        ['SAML_EXPIRED', 'SessionNotOnOrAfter'],
      ],
    ])
  : new Map<string, [code: string, check: string]>([
      [
        'valid_encrypted_assertion.xml.base64',
        ['SAML_ASSERTION_DECRYPTION_FAILED', 'EncryptedAssertion'],
      ],
      [
        'valid_encrypted_assertion_encrypted_nameid.xml.base64',
        ['SAML_ASSERTION_DECRYPTION_FAILED', 'EncryptedAssertion'],
      ],
    ])

/**
 * The first failing check of each reject, read against the manifest's reason: the named defect,
 * or one of its "(also …)" defects that an earlier check meets first (many upstream negative
 * fixtures are unsigned).
 */
const firstFailure = new Map<string, [code: string, check: string]>([
  ...rsa1_5Failure,
  ['invalids/no_signature.xml.base64', ['SAML_SIGNATURE_MISSING', 'Signature']],
  ['valid_unsigned_response.xml.base64', ['SAML_SIGNATURE_MISSING', 'Signature']],
  ['unsigned_response_with_miliseconds.xm.base64', ['SAML_SIGNATURE_MISSING', 'Signature']],
  // SignedInfo is verified before the costly digest of the element (catalogue case 38): these
  // signatures fail there already.
  ['response1.xml.base64', ['SAML_SIGNATURE_INVALID', 'SignatureValue']],
  ['invalids/signed_assertion_response.xml.base64', ['SAML_SIGNATURE_INVALID', 'SignatureValue']],
  ['invalids/no_key.xml.base64', ['SAML_SIGNATURE_INVALID', 'SignatureMethod']],
  ['response4.xml.base64', ['SAML_ASSERTION_COUNT', 'Assertion']],
  ['wrapped_response_2.xml.base64', ['SAML_SIGNATURE_MISSING', 'Signature']],
  ['invalids/signature_wrapping_attack.xml.base64', ['SAML_ASSERTION_COUNT', 'Assertion']],
  ['invalids/multiple_assertions.xml.base64', ['SAML_ASSERTION_COUNT', 'Assertion']],
  ['invalids/no_saml2.xml.base64', ['SAML_RESPONSE_INVALID', 'Response']],
  ['invalids/no_id.xml.base64', ['SAML_RESPONSE_INVALID', 'ID']],
  ['invalids/status_code_responder.xml.base64', ['SAML_DESTINATION_MISMATCH', 'Destination']],
  [
    'invalids/status_code_responer_and_msg.xml.base64',
    ['SAML_DESTINATION_MISMATCH', 'Destination'],
  ],
  ['invalids/no_status.xml.base64', ['SAML_STATUS_NOT_SUCCESS', 'Status']],
  ['invalids/no_status_code.xml.base64', ['SAML_STATUS_NOT_SUCCESS', 'Status']],
  ['invalids/empty_nameid.xml.base64', ['SAML_NAMEID_MISSING', 'NameID']],
  ['invalids/no_issuer_assertion.xml.base64', ['SAML_ISSUER_MISMATCH', 'Issuer (Assertion)']],
  ['invalids/no_conditions.xml.base64', ['SAML_CONDITIONS_MISSING', 'Conditions']],
  ['invalids/no_authnstatement.xml.base64', ['SAML_AUTHN_STATEMENT_MISSING', 'AuthnStatement']],
  ['invalids/empty_destination.xml.base64', ['SAML_DESTINATION_MISMATCH', 'Destination']],
  ['unsigned_response.xml.base64', ['SAML_SIGNATURE_MISSING', 'Signature']],
  ['invalids/invalid_audience.xml.base64', ['SAML_SIGNATURE_MISSING', 'Signature']],
  // The Assertion Issuer is compared before any signature (catalogue case 38): the named defect.
  ['invalids/invalid_issuer_assertion.xml.base64', ['SAML_ISSUER_MISMATCH', 'Issuer (Assertion)']],
  ['invalids/invalid_issuer_message.xml.base64', ['SAML_ISSUER_MISMATCH', 'Issuer (Response)']],
  [
    'invalids/invalid_subjectconfirmation_inresponse.xml.base64',
    ['SAML_SIGNATURE_MISSING', 'Signature'],
  ],
  [
    'invalids/invalid_subjectconfirmation_recipient.xml.base64',
    ['SAML_SIGNATURE_MISSING', 'Signature'],
  ],
  ['invalids/invalid_subjectconfirmation_noa.xml.base64', ['SAML_SIGNATURE_MISSING', 'Signature']],
  ['invalids/invalid_subjectconfirmation_nb.xml.base64', ['SAML_SIGNATURE_MISSING', 'Signature']],
  ['invalids/no_subjectconfirmation_data.xml.base64', ['SAML_SIGNATURE_MISSING', 'Signature']],
  ['invalids/no_subjectconfirmation_method.xml.base64', ['SAML_SIGNATURE_MISSING', 'Signature']],
  ['invalids/no_nameid.xml.base64', ['SAML_SIGNATURE_MISSING', 'Signature']],
  ['invalids/encrypted_attrs.xml.base64', ['SAML_SIGNATURE_MISSING', 'Signature']],
  ['expired_response.xml.base64', ['SAML_SIGNATURE_MISSING', 'Signature']],
  ['invalids/not_after_failed.xml.base64', ['SAML_STATUS_NOT_SUCCESS', 'Status']],
  ['invalids/not_before_failed.xml.base64', ['SAML_STATUS_NOT_SUCCESS', 'Status']],
  ['invalids/invalid_sessionindex.xml.base64', ['SAML_SIGNATURE_MISSING', 'Signature']],
])

describe('python3-saml corpus: ssoproof check saml reaches every expected verdict', () => {
  it('holds 52 entries, 13 accepts and 39 rejects', () => {
    expect(manifest.length).toBe(52)
    expect(manifest.filter((entry) => entry.expect === 'accept').length).toBe(13)
    expect([...firstFailure.keys()].sort()).toEqual(
      manifest
        .filter((entry) => entry.expect === 'reject')
        .map((entry) => entry.file)
        .sort(),
    )
  })

  for (const entry of manifest.filter((e) => e.expect === 'accept')) {
    it(`accepts ${entry.file} (${entry.reason})`, () => {
      const result = check(entry)
      expect(result.failure).toBeUndefined()
      expect(result.accepted).toBe(true)
      expect(result.response?.nameId).not.toBe('')
      // Every accept is 2014-era crypto: it passes only with warnings that say so.
      expect(result.response?.warnings.map((warning) => warning.code)).toContain(
        'SAML_SIGNATURE_SHA1',
      )
    })
  }

  for (const entry of manifest.filter((e) => e.expect === 'reject')) {
    it(`rejects ${entry.file} (${entry.reason})`, () => {
      const result = check(entry)
      expect(result.accepted).toBe(false)
      expect([result.failure?.code, result.failure?.check]).toEqual(firstFailure.get(entry.file))
      if (rsa1_5Failure.has(entry.file)) {
        const warnings = result.checks.flatMap((report) => report.warnings.map((w) => w.code))
        expect(warnings).toContain('SAML_KEY_TRANSPORT_RSA1_5')
        if (result.failure?.code === 'SAML_ASSERTION_DECRYPTION_FAILED') {
          expect(result.failure.reason).toContain('CVE-2023-46809')
        }
      }
    })
  }
})
