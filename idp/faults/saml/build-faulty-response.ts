import type { Credential } from '../../../core/keys/index.ts'
import type { EncryptAssertionOptions } from '../../../core/saml/encryption.ts'
import { parseXml, serializeXml } from '../../../core/xml/index.ts'
import { type SignOptions, signElement } from '../../../core/xmldsig/index.ts'
import { encryptAssertionIn } from '../../response/build-encrypted-response.ts'
import { type ResponseContent, responseElement } from '../../response/build-response.ts'
import { serializeElement } from '../../response/canonical-xml.ts'
import type { FaultCredentialName } from '../fault-set.ts'
import type { FaultOf } from '../schema.ts'
import { forbiddenSigning } from './forbidden-algorithms.ts'
import { injectIntoNameId, tamper, withDoctype } from './message-faults.ts'
import {
  addDangerousTransform,
  breakSignatureValue,
  changeSignatureStructure,
} from './signature-faults.ts'
import { oversize, padSignedAssertion } from './size-faults.ts'
import {
  addSecondAssertion,
  dropConfirmationInResponseTo,
  extendNameId,
  malformTimes,
  omitElement,
  skewTimes,
} from './tree-faults.ts'
import { wrapSignature } from './wrapping.ts'

/** The faults that shape a SAML Response while the IdP builds, signs and serializes it. */
export const samlResponseFaultKinds = [
  'saml-clock-skew',
  'saml-mismatch',
  'saml-in-response-to',
  'saml-status',
  'saml-unsigned',
  'saml-weak-algorithm',
  'saml-untrusted-key',
  'saml-certificate-validity',
  'saml-short-key',
  'saml-signature-value',
  'saml-signature-transform',
  'saml-signature-structure',
  'saml-malformed-time',
  'saml-omit',
  'saml-oversized',
  'saml-tamper',
  'saml-nameid-injection',
  'saml-doctype',
  'saml-two-assertions',
  'saml-xsw',
  'saml-nameid-look-alike',
] as const

export type SamlResponseFault = FaultOf<(typeof samlResponseFaultKinds)[number]>

export interface FaultyResponseInput {
  /** The content, already shaped by shapeContent (content-faults.ts). */
  content: ResponseContent
  faults: readonly SamlResponseFault[]
  /** What the SP's registration asks for. */
  signResponse: boolean
  signAssertion: boolean
  encryption: EncryptAssertionOptions | undefined
  /** The IdP's own credential. */
  credential: Credential
  faultCredential(name: FaultCredentialName): Promise<Credential>
}

/**
 * A Response built with faults, in the order the IdP would make each mistake:
 *   1. the element tree: times skewed or malformed, the NameID extended for an injection, a
 *      second Assertion, the AuthnStatement or NameID left out, InResponseTo on the envelope only,
 *      the Assertion padded beyond what the SP canonicalizes
 *   2. signing: which parts (unsigned, XSW), with which key (untrusted, certificate dates, 1024
 *      bits) and algorithms (RSA-SHA1, SHA-1 digests, DSA, HMAC, c14n with comments), through
 *      xml-crypto, each SignatureValue broken right after its signing; then encryption if the SP
 *      asks
 *   3. after signing, on the parsed message: tampering, the NameID injection, XSW3–XSW8 (for an
 *      SP that wants the Assertion encrypted: on the signed Assertion, before encryption); then
 *      XSW1–XSW2, which wrap the Response signature, and the changes to every visible Signature
 *      (transforms and KeyInfo, structure)
 *   4. on the text: beyond the size, depth or attribute caps; a DOCTYPE with entities
 */
export async function buildFaultyResponse(input: FaultyResponseInput): Promise<string> {
  const { content, faults } = input
  const response = responseElement(content)
  for (const fault of faults) {
    if (fault.kind === 'saml-clock-skew') skewTimes(response, fault)
    if (fault.kind === 'saml-nameid-injection') extendNameId(response, fault.suffix)
    if (fault.kind === 'saml-two-assertions') addSecondAssertion(response, fault.nameId)
    if (fault.kind === 'saml-malformed-time') malformTimes(response, fault)
    if (fault.kind === 'saml-omit') omitElement(response, fault)
    if (fault.kind === 'saml-oversized' && fault.dimension === 'signed-part') {
      padSignedAssertion(response)
    }
    if (fault.kind === 'saml-in-response-to' && fault.answer === 'envelope-only') {
      dropConfirmationInResponseTo(response)
    }
  }

  const plan = await signingPlan(input)
  const brokenValue = faults.find((fault) => fault.kind === 'saml-signature-value')
  const breakValue = (signed: string) =>
    brokenValue ? breakSignatureValue(signed, brokenValue) : signed
  let xml = serializeElement(response)
  if (content.assertion && plan.signAssertion) {
    xml = breakValue(signElement(xml, { ...plan.key, id: content.assertion.id }))
  }
  const responseSigning = plan.signResponse ? { ...plan.key, id: content.id } : undefined
  const wrapsResponse = (fault: SamlResponseFault) =>
    fault.kind === 'saml-xsw' && fault.variant <= 2
  const onAssertion = faults.filter(
    (fault) =>
      fault.kind === 'saml-tamper' ||
      fault.kind === 'saml-nameid-injection' ||
      (fault.kind === 'saml-xsw' && !wrapsResponse(fault)),
  )
  const nameIdLength = content.assertion?.nameId.length ?? 0
  if (input.encryption && content.assertion) {
    // The Assertion is changed as signed, before it disappears into its EncryptedAssertion.
    xml = await encryptAssertionIn(
      afterSigning(xml, onAssertion, nameIdLength),
      input.encryption,
      responseSigning,
    )
  } else {
    if (responseSigning) xml = signElement(xml, responseSigning)
    xml = afterSigning(xml, onAssertion, nameIdLength)
  }
  if (responseSigning) xml = breakValue(xml)
  const onSignatures = (fault: SamlResponseFault) =>
    wrapsResponse(fault) ||
    fault.kind === 'saml-signature-transform' ||
    fault.kind === 'saml-signature-structure'
  xml = afterSigning(xml, faults.filter(onSignatures), nameIdLength)
  for (const fault of faults) if (fault.kind === 'saml-oversized') xml = oversize(xml, fault)
  const doctype = faults.find((fault) => fault.kind === 'saml-doctype')
  return doctype ? withDoctype(xml, doctype) : xml
}

/** Applies the faults that change the signed message, on the parsed message. */
function afterSigning(
  xml: string,
  faults: readonly SamlResponseFault[],
  nameIdLength: number,
): string {
  if (faults.length === 0) return xml
  const doc = parseXml(xml)
  for (const fault of faults) {
    if (fault.kind === 'saml-tamper') tamper(doc, fault)
    if (fault.kind === 'saml-nameid-injection') injectIntoNameId(doc, fault, nameIdLength)
    if (fault.kind === 'saml-xsw') wrapSignature(doc, fault.variant, fault.nameId)
    if (fault.kind === 'saml-signature-transform') addDangerousTransform(doc, fault)
    if (fault.kind === 'saml-signature-structure') changeSignatureStructure(doc, fault)
  }
  return serializeXml(doc)
}

/** Signed validly by xml-crypto, and still outside the SP's policy (catalogue item 6). */
const excC14nWithComments = 'http://www.w3.org/2001/10/xml-exc-c14n#WithComments'

interface SigningPlan {
  signResponse: boolean
  signAssertion: boolean
  key: Omit<SignOptions, 'id'>
}

async function signingPlan(input: FaultyResponseInput): Promise<SigningPlan> {
  let { signResponse, signAssertion } = input
  let credential = input.credential
  let algorithms: Omit<SignOptions, 'id' | 'privateKeyPem' | 'certificatePem'> = {}
  let forbidden: Pick<SignOptions, 'privateKeyPem' | 'forgedSignatureMethod'> | undefined
  for (const fault of input.faults) {
    switch (fault.kind) {
      case 'saml-unsigned':
        if (fault.part !== 'assertion') signResponse = false
        if (fault.part !== 'response') signAssertion = false
        break
      case 'saml-xsw':
        signResponse = fault.variant <= 2
        signAssertion = fault.variant > 2
        break
      case 'saml-weak-algorithm':
        if (fault.signature === 'dsa-sha256' || fault.signature === 'hmac-sha256') {
          forbidden = await forbiddenSigning(fault.signature, input.credential.certificatePem)
          algorithms = { ...algorithms, digestAlgorithm: fault.digest }
        } else {
          algorithms = {
            ...algorithms,
            signatureAlgorithm: fault.signature,
            digestAlgorithm: fault.digest,
          }
        }
        break
      case 'saml-signature-transform':
        if (fault.transform === 'c14n-with-comments') {
          algorithms = { ...algorithms, forgedCanonicalization: excC14nWithComments }
        }
        break
      case 'saml-untrusted-key':
        credential = await input.faultCredential('untrusted')
        break
      case 'saml-certificate-validity':
        credential = await input.faultCredential(fault.validity)
        break
      case 'saml-short-key':
        credential = await input.faultCredential('short-key')
        break
    }
  }
  return {
    signResponse,
    signAssertion,
    key: {
      privateKeyPem: credential.privateKeyPem,
      certificatePem: credential.certificatePem,
      ...algorithms,
      ...forbidden,
    },
  }
}
