import { describe, expect, it } from 'vitest'
import { statusCodes } from '../../core/saml/constants.ts'
import { readLogoutRequest } from '../../core/saml/logout.ts'
import { decodeRedirect } from '../../core/saml/redirect.ts'
import { parseXml } from '../../core/xml/index.ts'
import { signElement } from '../../core/xmldsig/index.ts'
import { basicAttributes } from '../../idp/response/attribute-profiles.ts'
import { buildResponse } from '../../idp/response/build-response.ts'
import { createInProcessPair, idpUrl, spUrl } from '../../tests/fixtures/in-process.ts'
import { apiSession, formToken } from '../../tests/fixtures/visitor.ts'

/**
 * An IdP that qualifies its NameIDs (Lasso, Shibboleth IdP, SimpleSAMLphp with
 * NameQualifier on): the SP's LogoutRequest must name the principal exactly as asserted.
 */
describe('the SP LogoutRequest echoes the NameID exactly as asserted', () => {
  it('keeps NameQualifier, SPNameQualifier, SPProvidedID and Format', async () => {
    const { sp, idp, keys, clock, agent: newAgent } = await createInProcessPair()
    const browser = newAgent()
    const login = await browser.request(`${spUrl}/login`)
    const authnRequest = parseXml(
      decodeRedirect(new URL(login.headers.get('location') ?? '').search.slice(1), 'SAMLRequest')
        .xml,
    ).documentElement
    const idpEntityId = idp.config.entityId
    const spEntityId = sp.config.entityId
    const now = clock.now()
    const unsigned = buildResponse(
      {
        id: '_response-1',
        issuer: idpEntityId,
        destination: `${spUrl}/saml/acs`,
        inResponseTo: authnRequest.getAttribute('ID') ?? undefined,
        issueInstant: now,
        status: { code: statusCodes.success },
        assertion: {
          id: '_assertion-1',
          nameId: '_7f3c0a9e21',
          nameIdFormat: 'transient',
          audience: spEntityId,
          recipient: `${spUrl}/saml/acs`,
          notBefore: now,
          notOnOrAfter: now + 300_000,
          authnInstant: now,
          sessionIndex: '_session-9',
          attributes: basicAttributes({ id: ['alice'], email: ['alice@example.com'] }),
        },
      },
      { ...keys.idp, signResponse: false, signAssertion: false },
    )
    const qualified = unsigned.replace(
      '<saml:NameID ',
      `<saml:NameID NameQualifier="${idpEntityId}" SPNameQualifier="${spEntityId}" SPProvidedID="sp-7" `,
    )
    expect(qualified).not.toBe(unsigned)
    const signed = signElement(qualified, { id: '_assertion-1', ...keys.idp })
    await browser.navigate(`${spUrl}/saml/acs`, {
      method: 'POST',
      form: { SAMLResponse: Buffer.from(signed).toString('base64') },
      from: `${idpUrl}/saml/sso`,
    })
    expect((await apiSession(browser)).subject?.nameIdQualifiers).toEqual({
      nameQualifier: idpEntityId,
      spNameQualifier: spEntityId,
      spProvidedId: 'sp-7',
    })

    const logout = await browser.request(`${spUrl}/logout`, {
      method: 'POST',
      form: { form_token: await formToken(browser) },
      from: `${spUrl}/`,
    })
    const location = new URL(logout.headers.get('location') ?? '')
    expect(`${location.origin}${location.pathname}`).toBe(`${idpUrl}/saml/slo`)
    const request = readLogoutRequest(
      parseXml(decodeRedirect(location.search.slice(1), 'SAMLRequest').xml),
    )
    expect(request).toMatchObject({
      nameId: '_7f3c0a9e21',
      nameIdFormat: 'urn:oasis:names:tc:SAML:2.0:nameid-format:transient',
      nameQualifier: idpEntityId,
      spNameQualifier: spEntityId,
      spProvidedId: 'sp-7',
      sessionIndexes: ['_session-9'],
    })
  })
})
