import { describe, expect, it } from 'vitest'
import { testCredentials } from '../../tests/fixtures/in-process.ts'
import { SsoError } from '../errors/index.ts'
import { bindings } from './constants.ts'
import { buildLogoutRequest, readLogoutRequest } from './logout.ts'
import {
  checkLogoutDestination,
  decodeLogout,
  encodeLogout,
  type IncomingLogout,
  logoutParamOf,
  pickLogoutEndpoint,
  verifyLogoutSignature,
} from './logout-binding.ts'

const xml = buildLogoutRequest({
  id: '_lr1',
  issueInstant: Date.parse('2030-01-01T12:00:00Z'),
  destination: 'https://sp.example/slo',
  issuer: 'https://idp.example/metadata',
  nameId: 'alice',
  sessionIndexes: ['_s1'],
})

function codeOf(action: () => unknown): string | undefined {
  try {
    action()
    return undefined
  } catch (error) {
    if (error instanceof SsoError) return error.code
    throw error
  }
}

/** Encodes for the endpoint's binding and hands the result back as the receiver sees it. */
async function roundTrip(binding: string, relayState?: string) {
  const { idp } = await testCredentials()
  const delivery = encodeLogout({
    endpoint: { binding, location: 'https://sp.example/slo' },
    param: 'SAMLRequest',
    xml,
    id: '_lr1',
    relayState,
    credential: idp,
  })
  const incoming: IncomingLogout =
    delivery.binding === 'redirect'
      ? { binding: 'redirect', rawQuery: delivery.url.split('?')[1] ?? '' }
      : { binding: 'post', form: delivery.form }
  const decoded = decodeLogout(incoming, logoutParamOf(incoming))
  return { delivery, decoded, element: readLogoutRequest(decoded.document).element }
}

describe('logout messages over HTTP-Redirect and HTTP-POST', () => {
  it('signs the query for HTTP-Redirect and verifies it with the sender’s certificate only', async () => {
    const { idp, other } = await testCredentials()
    const { delivery, decoded, element } = await roundTrip(bindings.redirect, 'rs')
    expect(delivery.binding).toBe('redirect')
    expect(decoded.relayState).toBe('rs')
    expect(decoded.querySignature).toBeDefined()
    expect(verifyLogoutSignature(decoded, element, [idp.certificateBase64], true)).toBe(true)
    expect(
      codeOf(() => verifyLogoutSignature(decoded, element, [other.certificateBase64], true)),
    ).toBe('SAML_LOGOUT_SIGNATURE_INVALID')
  })

  it('signs the message itself for HTTP-POST (a self-submitting form) and verifies that', async () => {
    const { idp, other } = await testCredentials()
    const { delivery, decoded, element } = await roundTrip(bindings.post)
    expect(delivery.binding).toBe('post')
    if (delivery.binding !== 'post') return
    expect(delivery.html).toContain('<body onload="document.forms[0].submit()">')
    expect(delivery.html).toContain('action="https://sp.example/slo"')
    expect(decoded.querySignature).toBeUndefined()
    expect(verifyLogoutSignature(decoded, element, [idp.certificatePem], true)).toBe(true)
    expect(
      codeOf(() => verifyLogoutSignature(decoded, element, [other.certificatePem], true)),
    ).toBe('SAML_LOGOUT_SIGNATURE_INVALID')
  })

  it('lets an unsigned message through only when a signature is not required', async () => {
    const { idp } = await testCredentials()
    const incoming: IncomingLogout = {
      binding: 'post',
      form: { SAMLRequest: Buffer.from(xml).toString('base64') },
    }
    const decoded = decodeLogout(incoming, 'SAMLRequest')
    const { element } = readLogoutRequest(decoded.document)
    expect(verifyLogoutSignature(decoded, element, [], false)).toBe(false)
    expect(codeOf(() => verifyLogoutSignature(decoded, element, [idp.certificatePem], true))).toBe(
      'SAML_LOGOUT_SIGNATURE_MISSING',
    )
  })

  it('refuses a signed message when no certificate is registered, without a 5xx', async () => {
    const { decoded, element } = await roundTrip(bindings.redirect)
    const error = (() => {
      try {
        verifyLogoutSignature(decoded, element, [], false)
      } catch (caught) {
        return caught as SsoError
      }
      throw new Error('not refused')
    })()
    expect(error.code).toBe('SAML_LOGOUT_SIGNATURE_INVALID')
    expect(error.status).toBe(403)
  })

  it('sends responses to ResponseLocation when the endpoint has one', async () => {
    const { idp } = await testCredentials()
    const endpoint = {
      binding: bindings.redirect,
      location: 'https://sp.example/slo',
      responseLocation: 'https://sp.example/slo-return',
    }
    const credential = idp
    const response = encodeLogout({ endpoint, param: 'SAMLResponse', xml, id: '_lr1', credential })
    const request = encodeLogout({ endpoint, param: 'SAMLRequest', xml, id: '_lr1', credential })
    expect(response.binding === 'redirect' && response.url).toMatch(
      /^https:\/\/sp\.example\/slo-return\?SAMLResponse=/,
    )
    expect(request.binding === 'redirect' && request.url).toMatch(
      /^https:\/\/sp\.example\/slo\?SAMLRequest=/,
    )
  })
})

describe('logoutParamOf', () => {
  it('names the one message a request carries, and refuses both or neither', () => {
    expect(logoutParamOf({ binding: 'redirect', rawQuery: 'SAMLResponse=x&RelayState=y' })).toBe(
      'SAMLResponse',
    )
    expect(logoutParamOf({ binding: 'post', form: { SAMLRequest: 'x' } })).toBe('SAMLRequest')
    expect(codeOf(() => logoutParamOf({ binding: 'redirect', rawQuery: 'RelayState=y' }))).toBe(
      'SAML_MESSAGE_MISSING',
    )
    expect(
      codeOf(() =>
        logoutParamOf({ binding: 'post', form: { SAMLRequest: 'x', SAMLResponse: 'y' } }),
      ),
    ).toBe('SAML_BINDING_INVALID')
  })
})

describe('pickLogoutEndpoint and checkLogoutDestination', () => {
  it('prefers HTTP-Redirect, then HTTP-POST, and ignores other bindings', () => {
    const post = { binding: bindings.post, location: 'https://a/post' }
    const redirect = { binding: bindings.redirect, location: 'https://a/redirect' }
    const soap = { binding: bindings.soap, location: 'https://a/soap' }
    expect(pickLogoutEndpoint([post, redirect])).toBe(redirect)
    expect(pickLogoutEndpoint([soap, post])).toBe(post)
    expect(pickLogoutEndpoint([soap])).toBeUndefined()
  })

  it('wants Destination to be this endpoint, and present on a signed message', () => {
    const here = 'https://sp.example/slo'
    expect(() => checkLogoutDestination(here, here, true)).not.toThrow()
    expect(() => checkLogoutDestination(undefined, here, false)).not.toThrow()
    expect(codeOf(() => checkLogoutDestination(undefined, here, true))).toBe(
      'SAML_LOGOUT_DESTINATION_MISMATCH',
    )
    expect(codeOf(() => checkLogoutDestination('https://other/slo', here, false))).toBe(
      'SAML_LOGOUT_DESTINATION_MISMATCH',
    )
  })
})
