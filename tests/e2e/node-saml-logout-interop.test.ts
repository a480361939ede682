import { SAML, ValidateInResponseTo } from '@node-saml/node-saml'
import { describe, expect, it } from 'vitest'
import { systemClock } from '../../core/clock/index.ts'
import { nameIdFormats, statusCodes } from '../../core/saml/constants.ts'
import { readLogoutResponse } from '../../core/saml/logout.ts'
import { decodeRedirect } from '../../core/saml/redirect.ts'
import { parseXml } from '../../core/xml/index.ts'
import type { UserAgent } from '../../harness/http-driver/user-agent.ts'
import { createInProcessPair, idpUrl, spUrl } from '../fixtures/in-process.ts'
import { formToken } from '../fixtures/visitor.ts'

const spEntityId = `${spUrl}/saml/metadata`
const idpEntityId = `${idpUrl}/saml/metadata`

/** node-saml standing in for the SP: its own key and the IdP certificate it trusts. */
function nodeSaml(idpCert: string, privateKey: string) {
  return new SAML({
    idpCert,
    issuer: spEntityId,
    callbackUrl: `${spUrl}/saml/acs`,
    idpIssuer: idpEntityId,
    entryPoint: `${idpUrl}/saml/sso`,
    logoutUrl: `${idpUrl}/saml/slo`,
    privateKey,
    signatureAlgorithm: 'sha256',
    validateInResponseTo: ValidateInResponseTo.always,
  })
}

// node-saml reads the system clock (NotOnOrAfter), so the IdP must issue on it too.
async function signedIn() {
  const world = await createInProcessPair({ clock: systemClock })
  const agent = world.agent()
  const login = await agent.navigate(`${spUrl}/login`)
  await agent.submit(
    login,
    '#login-form',
    { username: 'alice' },
    { name: 'action', value: 'login' },
  )
  const session = world.idp.sessions.forUser('alice')[0]
  if (!session) throw new Error('no IdP session')
  return { ...world, agent, sessionIndex: session.sessionIndex }
}

/** The IdP's sign-out button, stopped at the redirect that carries its LogoutRequest to the SP. */
async function idpLogoutRequestUrl(agent: UserAgent): Promise<string> {
  const page = await agent.navigate(`${idpUrl}/logout`)
  const redirect = await agent.request(`${idpUrl}/logout`, {
    method: 'POST',
    form: { form_token: await formToken(agent) },
    from: page.url,
  })
  const location = redirect.headers.get('location') ?? ''
  expect(location.startsWith(`${spUrl}/saml/slo?SAMLRequest=`)).toBe(true)
  return location
}

const queryOf = (url: string) => url.slice(url.indexOf('?') + 1)
const containerOf = (url: string) => Object.fromEntries(new URLSearchParams(queryOf(url)))

describe('interop: @node-saml/node-saml and the IdP’s single logout', () => {
  it('validateRedirectAsync accepts the IdP’s signed LogoutRequest and reads NameID and SessionIndex', async () => {
    const { agent, keys, sessionIndex } = await signedIn()
    const url = await idpLogoutRequestUrl(agent)
    expect(containerOf(url).Signature).toBeDefined()

    const saml = nodeSaml(keys.idp.certificatePem, keys.sp.privateKeyPem)
    const { profile, loggedOut } = await saml.validateRedirectAsync(containerOf(url), queryOf(url))
    expect(loggedOut).toBe(true)
    expect(profile?.issuer).toBe(idpEntityId)
    expect(profile?.nameID).toBe('alice')
    expect(profile?.nameIDFormat).toBe(nameIdFormats.unspecified)
    expect(profile?.sessionIndex).toBe(sessionIndex)
    expect(profile?.ID).toMatch(/^_[0-9a-f]{40}$/)
  })

  it('node-saml refuses it when the signature does not hold (the test can fail)', async () => {
    const { agent, keys } = await signedIn()
    const url = await idpLogoutRequestUrl(agent)
    const untrusting = nodeSaml(keys.other.certificatePem, keys.sp.privateKeyPem)
    await expect(untrusting.validateRedirectAsync(containerOf(url), queryOf(url))).rejects.toThrow(
      /Invalid query signature/,
    )
    const trusting = nodeSaml(keys.idp.certificatePem, keys.sp.privateKeyPem)
    const container = containerOf(url)
    const signature = Buffer.from(container.Signature ?? '', 'base64')
    signature[10] = (signature[10] ?? 0) ^ 0xff
    const tampered = queryOf(url).replace(
      /Signature=[^&]+$/,
      `Signature=${encodeURIComponent(signature.toString('base64'))}`,
    )
    await expect(
      trusting.validateRedirectAsync(
        { ...container, Signature: signature.toString('base64') },
        tampered,
      ),
    ).rejects.toThrow(/Invalid query signature/)
  })

  it('the IdP takes node-saml’s signed LogoutResponse to its LogoutRequest', async () => {
    const { agent, keys } = await signedIn()
    const url = await idpLogoutRequestUrl(agent)
    const saml = nodeSaml(keys.idp.certificatePem, keys.sp.privateKeyPem)
    const { profile } = await saml.validateRedirectAsync(containerOf(url), queryOf(url))
    if (!profile) throw new Error('no profile')
    const answer = await saml.getLogoutResponseUrlAsync(profile, 'node-saml', {}, true)
    expect(answer.startsWith(`${idpUrl}/saml/slo?SAMLResponse=`)).toBe(true)
    const done = await agent.navigate(answer)
    expect(done.status).toBe(200)
    expect(done.document.querySelector('#confirmed')?.text).toContain(spEntityId)
  })

  it('the IdP takes node-saml’s signed LogoutRequest, and node-saml validates the IdP’s LogoutResponse', async () => {
    const { agent, keys, sessionIndex } = await signedIn()
    const saml = nodeSaml(keys.idp.certificatePem, keys.sp.privateKeyPem)
    const requestUrl = await saml.getLogoutUrlAsync(
      {
        issuer: idpEntityId,
        nameID: 'alice',
        nameIDFormat: nameIdFormats.unspecified,
        sessionIndex,
      },
      'from-node-saml',
      {},
    )
    expect(requestUrl.startsWith(`${idpUrl}/saml/slo?SAMLRequest=`)).toBe(true)
    const answer = await agent.request(requestUrl)
    expect(answer.status).toBe(302)
    const location = answer.headers.get('location') ?? ''
    const decoded = decodeRedirect(queryOf(location), 'SAMLResponse')
    expect(readLogoutResponse(parseXml(decoded.xml)).status.code).toBe(statusCodes.success)
    expect(decoded.relayState).toBe('from-node-saml')

    const validated = await saml.validateRedirectAsync(containerOf(location), queryOf(location))
    expect(validated).toEqual({ profile: null, loggedOut: true })
    // The IdP session is gone: a new sign-in asks for credentials.
    const again = await agent.navigate(`${spUrl}/login`)
    expect(again.document.querySelector('#login-form')).not.toBeNull()
  })
})
