import { describe, expect, it } from 'vitest'
import { statusCodes } from '../../core/saml/constants.ts'
import { basicAttributes } from '../../idp/response/attribute-profiles.ts'
import { buildResponse } from '../../idp/response/build-response.ts'
import { createInProcessPair, idpUrl, spUrl } from '../../tests/fixtures/in-process.ts'

const acsUrl = `${spUrl}/saml/acs`

type Pair = Awaited<ReturnType<typeof createInProcessPair>>

let responses = 0

/** A fresh signed IdP-initiated Response for alice, base64 as the POST binding carries it. */
function signedResponse({ keys, clock }: Pair): string {
  const now = clock.now()
  responses++
  const xml = buildResponse(
    {
      id: `_form-response-${responses}`,
      issuer: `${idpUrl}/saml/metadata`,
      destination: acsUrl,
      inResponseTo: undefined,
      issueInstant: now,
      status: { code: statusCodes.success },
      assertion: {
        id: `_form-assertion-${responses}`,
        nameId: 'alice',
        nameIdFormat: 'unspecified',
        audience: `${spUrl}/saml/metadata`,
        recipient: acsUrl,
        notBefore: now,
        notOnOrAfter: now + 300_000,
        authnInstant: now,
        sessionIndex: `_form-session-${responses}`,
        attributes: basicAttributes({ email: ['alice@example.com'] }),
      },
    },
    {
      privateKeyPem: keys.idp.privateKeyPem,
      certificatePem: keys.idp.certificatePem,
      signResponse: true,
      signAssertion: true,
    },
  )
  return Buffer.from(xml, 'utf8').toString('base64')
}

async function post(pair: Pair, body: string | FormData, contentType?: string) {
  const answer = await pair.sp.app.request(acsUrl, {
    method: 'POST',
    headers: { origin: idpUrl, ...(contentType ? { 'content-type': contentType } : {}) },
    body,
  })
  const text = await answer.text()
  return { status: answer.status, code: /SAML_[A-Z_]+/.exec(text)?.[0] }
}

const urlencoded = 'application/x-www-form-urlencoded'

describe('the ACS reads the POSTed form', () => {
  it('as HTML forms send it: urlencoded (with or without a charset) and multipart', async () => {
    const pair = await createInProcessPair({ sp: { allowUnsolicited: true } })
    const form = () => new URLSearchParams({ SAMLResponse: signedResponse(pair), RelayState: '/' })
    expect(await post(pair, form().toString(), urlencoded)).toEqual({
      status: 303,
      code: undefined,
    })
    for (const type of [`${urlencoded};charset=UTF-8`, `${urlencoded}; charset=iso-8859-1`]) {
      expect(await post(pair, form().toString(), type), type).toEqual({
        status: 303,
        code: undefined,
      })
    }
    const multipart = new FormData()
    for (const [name, value] of form()) multipart.append(name, value)
    expect((await post(pair, multipart)).status).toBe(303)
  })

  it('refuses a parameter given twice or as a list, whichever way the form is encoded', async () => {
    const pair = await createInProcessPair({ sp: { allowUnsolicited: true } })
    const value = signedResponse(pair)
    for (const type of [urlencoded, `${urlencoded}; charset=iso-8859-1`]) {
      const twice = new URLSearchParams([
        ['SAMLResponse', value],
        ['SAMLResponse', value],
      ])
      expect(await post(pair, twice.toString(), type)).toEqual({
        status: 400,
        code: 'SAML_BINDING_INVALID',
      })
      const list = new URLSearchParams([['SAMLResponse[]', value]])
      expect((await post(pair, list.toString(), type)).code).toBe('SAML_MESSAGE_MISSING')
      const relayTwice = new URLSearchParams([
        ['SAMLResponse', value],
        ['RelayState', '/a'],
        ['RelayState', '/b'],
      ])
      expect(await post(pair, relayTwice.toString(), type)).toEqual({
        status: 400,
        code: 'SAML_BINDING_INVALID',
      })
    }
    const multipart = new FormData()
    multipart.append('SAMLResponse', value)
    multipart.append('SAMLResponse', value)
    expect((await post(pair, multipart)).code).toBe('SAML_BINDING_INVALID')
  })

  it('finds no message in a body of another type', async () => {
    const pair = await createInProcessPair({ sp: { allowUnsolicited: true } })
    const body = new URLSearchParams({ SAMLResponse: signedResponse(pair) }).toString()
    expect(await post(pair, body, 'text/plain')).toEqual({
      status: 400,
      code: 'SAML_MESSAGE_MISSING',
    })
  })
})
