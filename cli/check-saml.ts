import { createPrivateKey } from 'node:crypto'
import { SsoError } from '../core/errors/index.ts'
import { parseCertificate } from '../core/keys/index.ts'
import { checkResponse } from '../sp/acs/check-response.ts'
import {
  type CheckIo,
  readOperand,
  readPemOption,
  readSkewMs,
  requiredString,
} from './check-input.ts'
import { type CheckSummary, withHint } from './check-report.ts'
import { UsageError } from './usage.ts'

/** The options only `ssoproof check saml` takes. */
export const samlOptions = [
  'idp-cert',
  'idp-entity-id',
  'sp-entity-id',
  'acs',
  'in-response-to',
  'sp-key',
  'legacy-crypto',
  'ignore-cert-validity',
  'want-assertions-signed',
  'want-response-signed',
] as const

/**
 * `ssoproof check saml`: reads the Response and the settings from the command line and runs
 * checkResponse (sp/acs/check-response.ts), the ACS's own checks, at `at`.
 */
export async function checkSaml(
  operand: string,
  values: Record<string, string | boolean | undefined>,
  at: number,
  io: CheckIo,
): Promise<CheckSummary> {
  const idpCertificates = readCertificates(requiredString(values, 'idp-cert'), io)
  const settings = {
    spEntityId: requiredString(values, 'sp-entity-id'),
    acsUrl: requiredString(values, 'acs'),
    idpEntityId: requiredString(values, 'idp-entity-id'),
    idpCertificates,
    clockSkewMs: readSkewMs(values.skew),
    wantAssertionsSigned: values['want-assertions-signed'] === true,
    wantResponseSigned: values['want-response-signed'] === true,
    allowLegacyCrypto: values['legacy-crypto'] === true,
    ignoreCertificateValidity: values['ignore-cert-validity'] === true,
    ...(typeof values['sp-key'] === 'string'
      ? { decryptionKeyPem: readPrivateKey(values['sp-key'], io) }
      : {}),
  }
  const inResponseTo = values['in-response-to']
  const message = await readOperand(operand, io)
  const result = checkResponse(message, {
    settings,
    at,
    ...(typeof inResponseTo === 'string' ? { inResponseTo } : {}),
  })
  const response = result.response
  return {
    kind: 'saml',
    verdict: result.accepted ? 'accepted' : 'rejected',
    at: new Date(at).toISOString(),
    input: result.input ?? null,
    checks: result.checks,
    failure: withHint(result.failure),
    warnings: result.checks.flatMap((report) => report.warnings),
    identity: response
      ? {
          NameID: response.nameId,
          'NameID Format': response.nameIdFormat ?? null,
          Issuer: response.issuer,
          SessionIndex: response.sessionIndex ?? null,
          InResponseTo: response.inResponseTo ?? null,
          'Response ID': response.responseId,
          'Assertion ID': response.assertionId,
          Signature: response.signatureAlgorithm ?? null,
        }
      : null,
    attributes: response ? { ...response.attributes } : null,
  }
}

/** `--idp-cert`: one PEM file (or text) with one or more certificates, or bare base64 DER. */
function readCertificates(value: string, io: CheckIo): string[] {
  const text = readPemOption(value, 'idp-cert', io)
  const blocks = text.match(/-----BEGIN CERTIFICATE-----[^-]*-----END CERTIFICATE-----/g) ?? [
    text.trim(),
  ]
  for (const block of blocks) {
    try {
      parseCertificate(block)
    } catch (error) {
      if (!(error instanceof SsoError)) throw error
      throw new UsageError(`--idp-cert: not a certificate (${error.reason})`)
    }
  }
  return blocks
}

/** `--sp-key`: the SP's private key, to decrypt with; never printed. */
function readPrivateKey(value: string, io: CheckIo): string {
  const text = readPemOption(value, 'sp-key', io)
  try {
    createPrivateKey(text)
  } catch {
    throw new UsageError('--sp-key: not a PEM private key')
  }
  return text
}
