import { createCredential } from '../../core/keys/index.ts'
import { bindings } from '../../core/saml/constants.ts'
import type { CellContext, CellDefinition } from '../lab/types.ts'
import { type SsoproofHandle, ssoproofPeer } from '../peers/ssoproof/peer.ts'
import { xmlsec1Peer } from '../peers/xmlsec1/peer.ts'
import { decodePostValue, formField } from './saml-messages.ts'

const entityId = 'urn:ssoproof:interop:xmlsec1'
const responseSignature = "/*[local-name()='Response']/*[local-name()='Signature']"
const assertionSignature = "//*[local-name()='Assertion']/*[local-name()='Signature']"

/** The lab's stand-in SP: nobody listens at its endpoints; the cells read what the IdP hands the browser. */
function registration(ssoproof: SsoproofHandle, overrides: Record<string, unknown> = {}) {
  const at = `${ssoproof.spUrl}/xmlsec1-stand-in`
  return {
    entityId,
    assertionConsumerServices: [
      { location: `${at}/acs`, binding: bindings.post, index: 0 },
      { location: `${at}/acs-artifact`, binding: bindings.artifact, index: 1 },
    ],
    singleLogoutServices: [{ location: `${at}/slo`, binding: bindings.post }],
    ...overrides,
  }
}

/** An IdP-initiated sign-in of alice to the stand-in SP; the Response XML the browser got. */
async function signedResponse(context: CellContext, overrides: Record<string, unknown> = {}) {
  const ssoproof = context.env.peer(ssoproofPeer)
  await ssoproof.admin('/service-providers', registration(ssoproof, overrides))
  await ssoproof.admin('/next-login', { userId: 'alice' })
  const page = await context
    .browser()
    .request(`${ssoproof.idpUrl}/saml/idp-initiated?sp=${encodeURIComponent(entityId)}`)
  const value = formField(page.html, 'SAMLResponse')
  if (!value) throw new Error(`the IdP answered ${page.status} without a SAMLResponse form`)
  return decodePostValue(value)
}

/** xmlsec1 must say OK for the genuine message and FAIL once one signed byte changes. */
function verifyBothWays(
  context: CellContext,
  what: string,
  xml: string,
  signature: string,
  tamper: (xml: string) => string,
) {
  const xmlsec1 = context.env.peer(xmlsec1Peer)
  const certificate = context.env.peer(ssoproofPeer).idpCertificatePem
  const genuine = xmlsec1.verify(xml, certificate, signature)
  context.observe.that(`xmlsec1 on the ${what}`, genuine.output, 'OK', () => genuine.ok)
  const forged = tamper(xml)
  context.observe.that('the tampered copy differs', forged !== xml, 'true', Boolean)
  const refused = xmlsec1.verify(forged, certificate, signature)
  context.observe.that(
    `xmlsec1 on the ${what}, one signed value changed`,
    refused.output.split('\n').slice(-1)[0] ?? '',
    'FAIL',
    () => !refused.ok,
  )
}

const cells: CellDefinition[] = [
  {
    flow: 'response',
    title: 'xmlsec1 verifies the Response signature of an HTTP-POST sign-in',
    peers: [xmlsec1Peer],
    async run(context) {
      const xml = await signedResponse(context)
      verifyBothWays(context, 'Response signature', xml, responseSignature, (text) =>
        text.replace('>alice<', '>mallory<'),
      )
    },
  },
  {
    flow: 'assertion',
    title: 'xmlsec1 verifies the Assertion signature (Response left unsigned)',
    peers: [xmlsec1Peer],
    async run(context) {
      const xml = await signedResponse(context, { signResponse: false })
      verifyBothWays(context, 'Assertion signature', xml, assertionSignature, (text) =>
        text.replace('>alice@example.com<', '>mallory@example.com<'),
      )
    },
  },
  {
    flow: 'decrypted-assertion',
    title:
      'xmlsec1 decrypts an EncryptedAssertion with the SP key and verifies the Assertion inside',
    peers: [xmlsec1Peer],
    async run(context) {
      const sp = await createCredential({ commonName: 'xmlsec1 stand-in SP' })
      const xml = await signedResponse(context, {
        signResponse: false,
        encryptAssertion: true,
        encryptionCertificates: [sp.certificatePem],
      })
      context.observe.contains('the Response as sent', xml, 'EncryptedAssertion')
      const decrypted = context.env.peer(xmlsec1Peer).decrypt(xml, sp.privateKeyPem)
      context.observe.contains('what xmlsec1 decrypted', decrypted, '>alice<')
      verifyBothWays(context, 'decrypted Assertion', decrypted, assertionSignature, (text) =>
        text.replace('>alice<', '>mallory<'),
      )
    },
  },
]

export const xmlsec1Cells = cells
