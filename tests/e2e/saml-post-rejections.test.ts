import { describe, expect, it } from 'vitest'
import { statusCodes } from '../../core/saml/constants.ts'
import { decodeRedirect } from '../../core/saml/redirect.ts'
import { parseXml } from '../../core/xml/index.ts'
import { signElement } from '../../core/xmldsig/index.ts'
import type { UserAgent } from '../../harness/http-driver/user-agent.ts'
import { basicAttributes } from '../../idp/response/attribute-profiles.ts'
import { buildResponse, type ResponseContent } from '../../idp/response/build-response.ts'
import { readAuthnRequest } from '../../idp/sso/authn-request.ts'
import { createInProcessPair, idpUrl, spUrl } from '../fixtures/in-process.ts'

const acsUrl = `${spUrl}/saml/acs`
const idpEntityId = `${idpUrl}/saml/metadata`
const spEntityId = `${spUrl}/saml/metadata`

/** Starts SP-initiated sign-in and returns the AuthnRequest ID the SP now waits for. */
async function beginSignIn(agent: UserAgent) {
  const redirect = await agent.request(`${spUrl}/login`)
  const location = redirect.headers.get('location') ?? ''
  const decoded = decodeRedirect(location.split('?')[1] ?? '', 'SAMLRequest')
  return { requestId: readAuthnRequest(parseXml(decoded.xml)).id, relayState: decoded.relayState }
}

/** Lets the real IdP answer a sign-in as alice, but keeps its POST form instead of submitting it. */
async function captureIdpResponse(agent: UserAgent) {
  const loginPage = await agent.navigate(`${spUrl}/login`)
  const form = await agent.submitOnce(loginPage, '#login-form', {
    username: 'alice',
    action: 'login',
  })
  const value = (name: string) =>
    form.document.querySelector(`input[name=${name}]`)?.getAttribute('value') ?? ''
  return {
    xml: Buffer.from(value('SAMLResponse'), 'base64').toString('utf8'),
    relayState: value('RelayState'),
  }
}

async function postToAcs(agent: UserAgent, xml: string, relayState = '/') {
  const page = await agent.request(acsUrl, {
    method: 'POST',
    form: { SAMLResponse: Buffer.from(xml, 'utf8').toString('base64'), RelayState: relayState },
    from: `${idpUrl}/login`,
  })
  return {
    status: page.status,
    code: page.document.querySelector('#error-code')?.text ?? null,
    page,
  }
}

type TestKeys = Awaited<ReturnType<typeof createInProcessPair>>['keys']

/** Builds and signs a Response as the IdP would, or with another key. */
function forge(
  content: ResponseContent,
  keys: TestKeys,
  options: { key?: TestKeys['idp']; signAssertion?: boolean } = {},
): string {
  const key = options.key ?? keys.idp
  return buildResponse(content, {
    privateKeyPem: key.privateKeyPem,
    certificatePem: key.certificatePem,
    signResponse: true,
    signAssertion: options.signAssertion ?? true,
  })
}

/**
 * The Response for `content`, built unsigned, changed by `change`, then signed with the IdP key as
 * xml-crypto signs: the Assertion, then (unless `signResponse` is false) the Response.
 */
function signChanged(
  content: ResponseContent,
  keys: TestKeys,
  change: (xml: string) => string,
  options: { signResponse?: boolean; inclusiveNamespacesPrefixList?: string[] } = {},
): string {
  const unsigned = buildResponse(content, {
    privateKeyPem: keys.idp.privateKeyPem,
    certificatePem: keys.idp.certificatePem,
    signResponse: false,
    signAssertion: false,
  })
  const changed = change(unsigned)
  expect(changed).not.toBe(unsigned)
  const ids = [content.assertion?.id, options.signResponse === false ? undefined : content.id]
  return ids.reduce<string>(
    (xml, id) =>
      id === undefined
        ? xml
        : signElement(xml, {
            id,
            privateKeyPem: keys.idp.privateKeyPem,
            certificatePem: keys.idp.certificatePem,
            ...(options.inclusiveNamespacesPrefixList
              ? { inclusiveNamespacesPrefixList: options.inclusiveNamespacesPrefixList }
              : {}),
          }),
    changed,
  )
}

async function signedInAs(agent: UserAgent): Promise<string | null> {
  const session = JSON.parse((await agent.request(`${spUrl}/api/session`)).html)
  return session.signedIn ? session.subject.nameId : null
}

function content(
  requestId: string | undefined,
  now: number,
  changes: Partial<ResponseContent['assertion']> = {},
): ResponseContent {
  return {
    id: '_response-forged-1',
    issuer: idpEntityId,
    destination: acsUrl,
    inResponseTo: requestId,
    issueInstant: now,
    status: { code: statusCodes.success },
    assertion: {
      id: '_assertion-forged-1',
      nameId: 'alice',
      nameIdFormat: 'unspecified',
      audience: spEntityId,
      recipient: acsUrl,
      notBefore: now,
      notOnOrAfter: now + 300_000,
      authnInstant: now,
      sessionIndex: '_session-1',
      attributes: basicAttributes({ name: ['Alice Andersen'], email: ['alice@example.com'] }),
      ...changes,
    },
  }
}

describe('the reference SP rejects broken and forged SAML responses', () => {
  it('accepts a well-formed response built and signed with the IdP key (baseline for the forgeries below)', async () => {
    const { agent: newAgent, clock, keys } = await createInProcessPair()
    const agent = newAgent()
    const { requestId } = await beginSignIn(agent)
    const xml = forge(content(requestId, clock.now()), keys)
    const result = await postToAcs(agent, xml)
    expect(result.status).toBe(303)
    expect(await signedInAs(agent)).toBe('alice')
  })

  it('refuses an attribute changed after signing (SAML_SIGNATURE_INVALID), and stores nothing', async () => {
    const { agent: newAgent } = await createInProcessPair()
    const agent = newAgent()
    const { xml } = await captureIdpResponse(agent)
    expect(xml).toContain('alice@example.com')
    const tampered = xml.replace('alice@example.com', 'mallory@example.com')
    const result = await postToAcs(agent, tampered)
    expect(result.status).toBe(403)
    expect(result.code).toBe('SAML_SIGNATURE_INVALID')
    expect(result.page.html).not.toContain('mallory@example.com')
    expect(await signedInAs(agent)).toBeNull()
    // Nothing was stored: the untouched response for the same request is still accepted.
    expect((await postToAcs(agent, xml)).status).toBe(303)
    expect(await signedInAs(agent)).toBe('alice')
  })

  it('refuses an attribute its signatures cannot cover, added to the signed Assertion (XML_RESERVED_ATTRIBUTE_NAME), and stores nothing', async () => {
    const { agent: newAgent } = await createInProcessPair()
    const agent = newAgent()
    const { xml } = await captureIdpResponse(agent)
    // xml-crypto 6.3.2's canonical form left out any attribute named xmlns…: the Response's and the
    // Assertion's signatures would both still verify with it added.
    const tampered = xml.replace(/<saml:Assertion /, '<saml:Assertion xmlnsRole="admin" ')
    expect(tampered).not.toBe(xml)
    const result = await postToAcs(agent, tampered)
    expect(result.status).toBe(400)
    expect(result.code).toBe('XML_RESERVED_ATTRIBUTE_NAME')
    expect(await signedInAs(agent)).toBeNull()
    // Nothing was stored: the untouched response for the same request is still accepted.
    expect((await postToAcs(agent, xml)).status).toBe(303)
    expect(await signedInAs(agent)).toBe('alice')
  })

  it('refuses signed attributes moved into a namespace declaration after signing (XML_NAMESPACE_NAME_INVALID), where they would have been out of the tree yet still signed', async () => {
    const { agent: newAgent, clock, keys } = await createInProcessPair()
    const agent = newAgent()
    const { requestId } = await beginSignIn(agent)
    // An Assertion whose Conditions declare a prefix the signature's InclusiveNamespaces list
    // names, so its canonical form reads <saml:Conditions xmlns:cond="…" NotBefore="…"
    // NotOnOrAfter="…">; the Conditions ended in 2020 (the SubjectConfirmationData has not).
    const signed = signChanged(
      content(requestId, clock.now()),
      keys,
      (xml) =>
        xml.replace(
          /<saml:Conditions ([^>]*)NotOnOrAfter="[^"]*"/,
          '<saml:Conditions xmlns:cond="urn:example:cond" $1NotOnOrAfter="2020-01-01T00:00:00Z"',
        ),
      { signResponse: false, inclusiveNamespacesPrefixList: ['cond'] },
    )
    const expired = await postToAcs(newAgent(), signed)
    expect(expired.code).toBe('SAML_EXPIRED')
    // The attributes moved into the declaration's value: xml-crypto 6.3.2 wrote that value
    // unescaped, so the canonical form was the signed one while the tree had no time bounds left
    // (the SP signed alice in).
    const tampered = signed.replace(
      /<saml:Conditions xmlns:cond="urn:example:cond" ([^>]*?)"(\/?)>/,
      (_match, attributes: string, close: string) =>
        `<saml:Conditions xmlns:cond="urn:example:cond&quot; ${attributes.replaceAll('"', '&quot;')}"${close}>`,
    )
    expect(tampered).toContain('xmlns:cond="urn:example:cond&quot; NotBefore=&quot;')
    const result = await postToAcs(agent, tampered)
    expect(result.status).toBe(400)
    expect(result.code).toBe('XML_NAMESPACE_NAME_INVALID')
    expect(await signedInAs(agent)).toBeNull()
  })

  it('refuses an assertion meant for another SP (SAML_AUDIENCE_MISMATCH)', async () => {
    const { agent: newAgent, clock, keys } = await createInProcessPair()
    const agent = newAgent()
    const { requestId } = await beginSignIn(agent)
    const xml = forge(
      content(requestId, clock.now(), { audience: 'https://other-sp.example.com' }),
      keys,
    )
    const result = await postToAcs(agent, xml)
    expect(result.code).toBe('SAML_AUDIENCE_MISMATCH')
    expect(result.page.html).toContain('https://other-sp.example.com')
    expect(await signedInAs(agent)).toBeNull()
  })

  it('refuses a response whose NotOnOrAfter has passed beyond the 60 s skew (SAML_EXPIRED)', async () => {
    const { agent: newAgent, clock } = await createInProcessPair()
    const agent = newAgent()
    const { xml } = await captureIdpResponse(agent)
    clock.advance('6m1s') // lifetime 5 min + 60 s skew: the exclusive bound has passed
    const result = await postToAcs(agent, xml)
    expect(result.status).toBe(403)
    expect(result.code).toBe('SAML_EXPIRED')
    expect(await signedInAs(agent)).toBeNull()
  })

  it('accepts the same response just inside the skew window', async () => {
    const { agent: newAgent, clock } = await createInProcessPair()
    const agent = newAgent()
    const { xml } = await captureIdpResponse(agent)
    clock.advance('5m59s')
    expect((await postToAcs(agent, xml)).status).toBe(303)
  })

  it('refuses an InResponseTo this browser never sent (SAML_IN_RESPONSE_TO_UNKNOWN)', async () => {
    const { agent: newAgent, clock, keys } = await createInProcessPair()
    const agent = newAgent()
    await beginSignIn(agent)
    const xml = forge(content('_never-sent', clock.now()), keys)
    expect((await postToAcs(agent, xml)).code).toBe('SAML_IN_RESPONSE_TO_UNKNOWN')
  })

  it('refuses an unsolicited IdP-signed assertion wrapped into an unsigned Response that names the pending request (SAML_IN_RESPONSE_TO_MISSING)', async () => {
    const {
      agent: newAgent,
      clock,
      keys,
      sp,
    } = await createInProcessPair({
      sp: { allowUnsolicited: true },
    })
    const agent = newAgent()
    const { requestId } = await beginSignIn(agent)
    // What an attacker holds: an assertion the IdP signed for an IdP-initiated sign-in, no
    // InResponseTo anywhere; the Response around it is theirs to write, so it names the request.
    const signedAssertionOnly = buildResponse(content(undefined, clock.now()), {
      privateKeyPem: keys.idp.privateKeyPem,
      certificatePem: keys.idp.certificatePem,
      signResponse: false,
      signAssertion: true,
    })
    expect(signedAssertionOnly).not.toContain('InResponseTo')
    const wrapped = signedAssertionOnly.replace(
      '<samlp:Response ',
      `<samlp:Response InResponseTo="${requestId}" `,
    )
    expect(wrapped).toContain(`InResponseTo="${requestId}"`)
    const result = await postToAcs(agent, wrapped)
    expect(result.status).toBe(403)
    expect(result.code).toBe('SAML_IN_RESPONSE_TO_MISSING')
    expect(await signedInAs(agent)).toBeNull()
    expect(sp.database.prepare('SELECT COUNT(*) AS n FROM contacts').get()).toEqual({ n: 0 })
  })

  it('refuses a response to a request another browser started (SAML_IN_RESPONSE_TO_UNKNOWN)', async () => {
    const { agent: newAgent } = await createInProcessPair()
    const victim = newAgent()
    const attacker = newAgent()
    const { xml } = await captureIdpResponse(victim)
    expect((await postToAcs(attacker, xml)).code).toBe('SAML_IN_RESPONSE_TO_UNKNOWN')
    expect(await signedInAs(attacker)).toBeNull()
  })

  it('refuses a response posted a second time (SAML_REPLAY)', async () => {
    const { agent: newAgent } = await createInProcessPair()
    const agent = newAgent()
    const { xml } = await captureIdpResponse(agent)
    expect((await postToAcs(agent, xml)).status).toBe(303)
    const replayed = await postToAcs(agent, xml)
    expect(replayed.status).toBe(403)
    expect(replayed.code).toBe('SAML_REPLAY')
  })

  it('refuses a response signed by another key whose certificate sits in KeyInfo (SAML_SIGNATURE_INVALID)', async () => {
    const { agent: newAgent, clock, keys } = await createInProcessPair()
    const agent = newAgent()
    const { requestId } = await beginSignIn(agent)
    const xml = forge(content(requestId, clock.now()), keys, { key: keys.other })
    expect(xml).toContain(keys.other.certificateBase64.slice(0, 40))
    const result = await postToAcs(agent, xml)
    expect(result.code).toBe('SAML_SIGNATURE_INVALID')
    expect(await signedInAs(agent)).toBeNull()
  })

  it('refuses a response with a DOCTYPE before parsing it (XML_DOCTYPE_FORBIDDEN)', async () => {
    const { agent: newAgent } = await createInProcessPair()
    const agent = newAgent()
    const { xml } = await captureIdpResponse(agent)
    const withDoctype = `<?xml version="1.0"?><!DOCTYPE r [<!ENTITY e "alice">]>${xml}`
    const result = await postToAcs(agent, withDoctype)
    expect(result.status).toBe(400)
    expect(result.code).toBe('XML_DOCTYPE_FORBIDDEN')
    expect(await signedInAs(agent)).toBeNull()
  })

  it('refuses an unsigned assertion (SAML_ASSERTION_UNSIGNED) and a missing SAMLResponse (SAML_MESSAGE_MISSING)', async () => {
    const { agent: newAgent, clock, keys } = await createInProcessPair()
    const agent = newAgent()
    const { requestId } = await beginSignIn(agent)
    const xml = forge(content(requestId, clock.now()), keys, { signAssertion: false })
    expect((await postToAcs(agent, xml)).code).toBe('SAML_ASSERTION_UNSIGNED')
    const empty = await agent.request(acsUrl, { method: 'POST', form: { RelayState: '/' } })
    expect(empty.status).toBe(400)
    expect(empty.document.querySelector('#error-code')?.text).toBe('SAML_MESSAGE_MISSING')
  })

  it('refuses a Response without its own signature where the SP wants one (SAML_RESPONSE_UNSIGNED)', async () => {
    const pair = await createInProcessPair({ sp: { wantResponseSigned: true } })
    const agent = pair.agent()
    const { requestId } = await beginSignIn(agent)
    const assertionOnly = buildResponse(content(requestId, pair.clock.now()), {
      privateKeyPem: pair.keys.idp.privateKeyPem,
      certificatePem: pair.keys.idp.certificatePem,
      signResponse: false,
      signAssertion: true,
    })
    const result = await postToAcs(agent, assertionOnly)
    expect([result.status, result.code]).toEqual([403, 'SAML_RESPONSE_UNSIGNED'])
    expect(await signedInAs(agent)).toBeNull()
    expect(
      (await postToAcs(agent, forge(content(requestId, pair.clock.now()), pair.keys))).status,
    ).toBe(303)
  })

  it.each([
    [
      'a holder-of-key confirmation only',
      (xml: string) => xml.replace(':cm:bearer', ':cm:holder-of-key'),
    ],
    [
      'a bearer confirmation without SubjectConfirmationData',
      (xml: string) =>
        xml.replace(
          /<saml:SubjectConfirmationData[^>]*\/>|<saml:SubjectConfirmationData[\s\S]*?<\/saml:SubjectConfirmationData>/,
          '',
        ),
    ],
  ])('refuses %s, signed by the IdP key (SAML_SUBJECT_CONFIRMATION_INVALID)', async (_, change) => {
    const { agent: newAgent, clock, keys } = await createInProcessPair()
    const agent = newAgent()
    const { requestId } = await beginSignIn(agent)
    const signed = signChanged(content(requestId, clock.now()), keys, change)
    const result = await postToAcs(agent, signed)
    expect([result.status, result.code]).toEqual([403, 'SAML_SUBJECT_CONFIRMATION_INVALID'])
    expect(await signedInAs(agent)).toBeNull()
  })
})
