import { isoInstant, systemClock } from '../../core/clock/index.ts'
import { createCredential } from '../../core/keys/index.ts'
import { bindings, nameIdFormats, statusCodes } from '../../core/saml/constants.ts'
import { buildLogoutRequest } from '../../core/saml/logout.ts'
import { formTokenOf } from '../lab/browser.ts'
import type { CellContext, CellDefinition } from '../lab/types.ts'
import { type SsoproofHandle, ssoproofPeer } from '../peers/ssoproof/peer.ts'
import { xmlsec1Peer } from '../peers/xmlsec1/peer.ts'
import { decodePostValue, formField, xmlAttribute } from './saml-messages.ts'

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
  return (await signInStandIn(context, overrides)).xml
}

async function signInStandIn(context: CellContext, overrides: Record<string, unknown> = {}) {
  const ssoproof = context.env.peer(ssoproofPeer)
  await ssoproof.admin('/service-providers', registration(ssoproof, overrides))
  await ssoproof.admin('/next-login', { userId: 'alice' })
  const browser = context.browser()
  const page = await browser.request(
    `${ssoproof.idpUrl}/saml/idp-initiated?sp=${encodeURIComponent(entityId)}`,
  )
  const value = formField(page.html, 'SAMLResponse')
  if (!value) throw new Error(`the IdP answered ${page.status} without a SAMLResponse form`)
  return { browser, xml: decodePostValue(value) }
}

/** The SAMLRequest or SAMLResponse of a self-submitting form, decoded. */
function postedMessage(html: string, param: 'SAMLRequest' | 'SAMLResponse'): string {
  const value = formField(html, param)
  if (!value) throw new Error(`no ${param} form on the page`)
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

cells.push(
  {
    flow: 'artifact-response',
    title: 'xmlsec1 verifies the ArtifactResponse the SOAP ArtifactResolutionService answers',
    peers: [xmlsec1Peer],
    async run(context) {
      const ssoproof = context.env.peer(ssoproofPeer)
      await ssoproof.admin(
        '/service-providers',
        registration(ssoproof, { responseBinding: 'artifact' }),
      )
      await ssoproof.admin('/next-login', { userId: 'alice' })
      const redirect = await context
        .browser()
        .request(`${ssoproof.idpUrl}/saml/idp-initiated?sp=${encodeURIComponent(entityId)}`)
      const location = redirect.headers.get('location') ?? ''
      context.observe.contains(
        'where the IdP sends the artifact',
        location,
        '/acs-artifact?SAMLart=',
      )
      const artifact = new URL(location).searchParams.get('SAMLart') ?? ''
      const resolve = `<soap:Envelope xmlns:soap="http://schemas.xmlsoap.org/soap/envelope/"><soap:Body><samlp:ArtifactResolve xmlns:samlp="urn:oasis:names:tc:SAML:2.0:protocol" xmlns:saml="urn:oasis:names:tc:SAML:2.0:assertion" ID="_lab-resolve" Version="2.0" IssueInstant="${isoInstant(systemClock.now())}"><saml:Issuer>${entityId}</saml:Issuer><samlp:Artifact>${artifact}</samlp:Artifact></samlp:ArtifactResolve></soap:Body></soap:Envelope>`
      const answer = await context.env.fetch(
        new Request(`${ssoproof.idpUrl}/saml/artifact`, {
          method: 'POST',
          headers: {
            'content-type': 'text/xml; charset=utf-8',
            soapaction: 'http://www.oasis-open.org/committees/security',
          },
          body: resolve,
        }),
      )
      const xml = await answer.text()
      context.observe.contains('the ArtifactResponse carries the Response', xml, '>alice<')
      verifyBothWays(
        context,
        'ArtifactResponse signature',
        xml,
        "//*[local-name()='ArtifactResponse']/*[local-name()='Signature']",
        (text) => text.replace('>alice<', '>mallory<'),
      )
    },
  },
  {
    flow: 'logout-request',
    title: "xmlsec1 verifies the IdP's LogoutRequest sent by HTTP-POST",
    peers: [xmlsec1Peer],
    async run(context) {
      const ssoproof = context.env.peer(ssoproofPeer)
      const { browser } = await signInStandIn(context)
      const logoutPage = await browser.request(`${ssoproof.idpUrl}/logout`)
      const form = await browser.request(`${ssoproof.idpUrl}/logout`, {
        method: 'POST',
        from: logoutPage.url,
        form: await formTokenOf(browser, logoutPage.url),
      })
      const xml = postedMessage(form.html, 'SAMLRequest')
      verifyBothWays(
        context,
        'LogoutRequest signature',
        xml,
        "/*[local-name()='LogoutRequest']/*[local-name()='Signature']",
        (text) => text.replace('>alice<', '>mallory<'),
      )
    },
  },
  {
    flow: 'logout-response',
    title: "xmlsec1 verifies the IdP's LogoutResponse sent by HTTP-POST",
    peers: [xmlsec1Peer],
    async run(context) {
      const ssoproof = context.env.peer(ssoproofPeer)
      const { browser, xml: response } = await signInStandIn(context)
      const sessionIndex = xmlAttribute(response, 'AuthnStatement', 'SessionIndex') ?? ''
      const request = buildLogoutRequest({
        id: '_lab-logout',
        issueInstant: systemClock.now(),
        destination: `${ssoproof.idpUrl}/saml/slo`,
        issuer: entityId,
        nameId: 'alice',
        nameIdFormat: nameIdFormats.unspecified,
        sessionIndexes: [sessionIndex],
      })
      const answer = await browser.request(`${ssoproof.idpUrl}/saml/slo`, {
        method: 'POST',
        form: { SAMLRequest: Buffer.from(request).toString('base64') },
        from: `${ssoproof.spUrl}/`,
      })
      const xml = postedMessage(answer.html, 'SAMLResponse')
      context.observe.contains('the LogoutResponse status', xml, statusCodes.success)
      verifyBothWays(
        context,
        'LogoutResponse signature',
        xml,
        "/*[local-name()='LogoutResponse']/*[local-name()='Signature']",
        (text) => text.replace('_lab-logout', '_lab-forged'),
      )
    },
  },
)

export const xmlsec1Cells = cells
