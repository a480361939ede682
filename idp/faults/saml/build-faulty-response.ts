import type { Credential } from '../../../core/keys/index.ts'
import type { EncryptAssertionOptions } from '../../../core/saml/encryption.ts'
import { parseXml, serializeXml } from '../../../core/xml/index.ts'
import { type SignOptions, signElement } from '../../../core/xmldsig/index.ts'
import { encryptAssertionIn } from '../../response/build-encrypted-response.ts'
import { type ResponseContent, responseElement } from '../../response/build-response.ts'
import { serializeElement } from '../../response/canonical-xml.ts'
import type { FaultCredentialName } from '../fault-set.ts'
import type { FaultOf } from '../schema.ts'
import { injectIntoNameId, tamper, withDoctype } from './message-faults.ts'
import { addSecondAssertion, extendNameId, skewTimes } from './tree-faults.ts'
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
  'saml-tamper',
  'saml-nameid-injection',
  'saml-doctype',
  'saml-two-assertions',
  'saml-xsw',
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
 *   1. the element tree: times skewed, the NameID extended for an injection, a second Assertion
 *   2. signing: which parts (unsigned, XSW), with which key (untrusted, certificate dates) and
 *      algorithms (RSA-SHA1, SHA-1 digests), through xml-crypto; then encryption if the SP asks
 *   3. after signing, on the parsed message: tampering, the NameID injection, XSW3–XSW8 (for an
 *      SP that wants the Assertion encrypted: on the signed Assertion, before encryption); then
 *      XSW1–XSW2, which wrap the Response signature
 *   4. on the text: a DOCTYPE with entities
 */
export async function buildFaultyResponse(input: FaultyResponseInput): Promise<string> {
  const { content, faults } = input
  const response = responseElement(content)
  for (const fault of faults) {
    if (fault.kind === 'saml-clock-skew') skewTimes(response, fault)
    if (fault.kind === 'saml-nameid-injection') extendNameId(response, fault.suffix)
    if (fault.kind === 'saml-two-assertions') addSecondAssertion(response, fault.nameId)
  }

  const plan = await signingPlan(input)
  let xml = serializeElement(response)
  if (content.assertion && plan.signAssertion) {
    xml = signElement(xml, { ...plan.key, id: content.assertion.id })
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
  xml = afterSigning(xml, faults.filter(wrapsResponse), nameIdLength)
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
  }
  return serializeXml(doc)
}

interface SigningPlan {
  signResponse: boolean
  signAssertion: boolean
  key: Omit<SignOptions, 'id'>
}

async function signingPlan(input: FaultyResponseInput): Promise<SigningPlan> {
  let { signResponse, signAssertion } = input
  let credential = input.credential
  let algorithms: Pick<SignOptions, 'signatureAlgorithm' | 'digestAlgorithm'> = {}
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
        algorithms = { signatureAlgorithm: fault.signature, digestAlgorithm: fault.digest }
        break
      case 'saml-untrusted-key':
        credential = await input.faultCredential('untrusted')
        break
      case 'saml-certificate-validity':
        credential = await input.faultCredential(fault.validity)
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
    },
  }
}
