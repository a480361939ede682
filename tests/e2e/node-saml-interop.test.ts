import { SAML, ValidateInResponseTo } from '@node-saml/node-saml'
import { describe, expect, it } from 'vitest'
import { systemClock } from '../../core/clock/index.ts'
import { createInProcessPair, idpUrl, spUrl } from '../fixtures/in-process.ts'

describe('interop: @node-saml/node-saml accepts the IdP’s HTTP-POST response', () => {
  it('validates signature, audience, recipient and time window, and reads the profile', async () => {
    // node-saml reads the system clock, so the IdP must issue on the system clock too.
    const { agent: newAgent, keys } = await createInProcessPair({ clock: systemClock })
    const agent = newAgent()
    const spEntityId = `${spUrl}/saml/metadata`
    const acsUrl = `${spUrl}/saml/acs`

    const loginPage = await agent.navigate(
      `${idpUrl}/saml/idp-initiated?sp=${encodeURIComponent(spEntityId)}`,
    )
    const form = await agent.submitOnce(loginPage, '#login-form', {
      username: 'carol',
      password: 'carol-secret',
      action: 'login',
    })
    const samlResponse =
      form.document.querySelector('input[name=SAMLResponse]')?.getAttribute('value') ?? ''
    expect(form.document.querySelector('form')?.getAttribute('action')).toBe(acsUrl)

    const saml = new SAML({
      idpCert: keys.idp.certificatePem,
      issuer: spEntityId,
      callbackUrl: acsUrl,
      audience: spEntityId,
      idpIssuer: `${idpUrl}/saml/metadata`,
      wantAssertionsSigned: true,
      wantAuthnResponseSigned: true,
      validateInResponseTo: ValidateInResponseTo.never,
    })
    const { profile, loggedOut } = await saml.validatePostResponseAsync({
      SAMLResponse: samlResponse,
    })
    expect(loggedOut).toBe(false)
    expect(profile?.nameID).toBe('carol')
    expect(profile?.issuer).toBe(`${idpUrl}/saml/metadata`)
    expect(profile?.email).toBe('carol@example.org')
    expect(profile?.customRoles).toEqual(['beta-tester', 'moderator'])
  })

  it('is refused by node-saml when signed by a key it does not trust (the test can fail)', async () => {
    const { agent: newAgent, keys } = await createInProcessPair({ clock: systemClock })
    const agent = newAgent()
    const spEntityId = `${spUrl}/saml/metadata`
    const loginPage = await agent.navigate(
      `${idpUrl}/saml/idp-initiated?sp=${encodeURIComponent(spEntityId)}`,
    )
    const form = await agent.submitOnce(loginPage, '#login-form', {
      username: 'alice',
      action: 'login',
    })
    const samlResponse =
      form.document.querySelector('input[name=SAMLResponse]')?.getAttribute('value') ?? ''
    const saml = new SAML({
      idpCert: keys.other.certificatePem,
      issuer: spEntityId,
      callbackUrl: `${spUrl}/saml/acs`,
      audience: spEntityId,
      wantAssertionsSigned: true,
    })
    await expect(saml.validatePostResponseAsync({ SAMLResponse: samlResponse })).rejects.toThrow(
      /signature/i,
    )
  })
})
