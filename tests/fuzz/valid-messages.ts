import { expect } from 'vitest'
import type { Page, UserAgent } from '../../harness/http-driver/user-agent.ts'
import { idpUrl, spUrl } from '../fixtures/in-process.ts'
import type { FuzzPair } from './fuzz-pair.ts'

/**
 * Real, valid messages from the real IdP and SP — what the fuzz tests mutate. Each starts a
 * headless sign-in as alice in a fresh browser and stops where the message is in hand, so the
 * browser (and its cookies) can deliver the mutated copy instead.
 */

/** The location a redirect points to; the test fails when the answer is no redirect. */
function locationOf(page: Page): string {
  const location = page.headers.get('location')
  expect(location, `${page.url} answered ${page.status}`).toBeTruthy()
  return new URL(location ?? '', page.url).href
}

function hiddenField(page: Page, name: string): string {
  return page.document.querySelector(`input[name="${name}"]`)?.getAttribute('value') ?? ''
}

/** The IdP's answer to the SP's AuthnRequest: the SAMLResponse form, or the SAMLart redirect. */
async function atIdp(pair: FuzzPair, agent: UserAgent): Promise<Page> {
  pair.idp.queueLogin('alice')
  const toIdp = await agent.request(`${spUrl}/login`)
  return agent.request(locationOf(toIdp), { from: `${spUrl}/` })
}

/** A signed SAML Response for the ACS (HTTP-POST), with its RelayState. */
export async function samlResponse(pair: FuzzPair) {
  const agent = pair.agent()
  const form = await atIdp(pair, agent)
  const base64 = hiddenField(form, 'SAMLResponse')
  expect(base64).not.toBe('')
  return {
    agent,
    xml: Buffer.from(base64, 'base64').toString('utf8'),
    base64,
    relayState: hiddenField(form, 'RelayState'),
  }
}

/** A SAMLart for the ACS (HTTP-Artifact, redirect delivery), with its RelayState. */
export async function samlArtifact(pair: FuzzPair) {
  const agent = pair.agent()
  const acs = new URL(locationOf(await atIdp(pair, agent)))
  return {
    agent,
    samlart: acs.searchParams.get('SAMLart') ?? '',
    relayState: acs.searchParams.get('RelayState') ?? '',
  }
}

/** The IdP's redirect back to the SP's JWT callback, token in the query. */
export async function jwtCallback(pair: FuzzPair) {
  const agent = pair.agent()
  const back = new URL(locationOf(await atIdp(pair, agent)))
  expect(back.pathname).toBe('/jwt/callback')
  return { agent, url: back, token: back.searchParams.get('token') ?? '' }
}

/** The IdP's redirect back to the SP's OIDC callback: code, state, iss. */
export async function oidcCallback(pair: FuzzPair) {
  const agent = pair.agent()
  const back = new URL(locationOf(await atIdp(pair, agent)))
  expect(back.pathname).toBe('/oidc/callback')
  return { agent, url: back }
}

/** A browser signed in at the SP and the IdP by SAML. */
export async function signedIn(pair: FuzzPair): Promise<UserAgent> {
  const agent = pair.agent()
  pair.idp.queueLogin('alice')
  const home = await agent.navigate(`${spUrl}/login`)
  expect(home.url).toBe(`${spUrl}/`)
  return agent
}

/** The IdP's LogoutRequest to the SP (IdP-initiated single logout), as an HTTP-Redirect URL. */
export async function idpLogoutRequest(pair: FuzzPair) {
  const agent = await signedIn(pair)
  const answer = await agent.submitOnce(await agent.navigate(`${idpUrl}/logout`), '#logout-form')
  const url = new URL(locationOf(answer))
  expect(url.searchParams.has('SAMLRequest')).toBe(true)
  return { agent, url }
}

/** The SP's LogoutRequest to the IdP (SP-initiated), as an HTTP-Redirect URL not yet followed. */
export async function spLogoutRequest(pair: FuzzPair) {
  const agent = await signedIn(pair)
  const answer = await agent.submitOnce(
    await agent.navigate(`${spUrl}/`),
    'form[action$="/logout"]',
  )
  const url = new URL(locationOf(answer))
  expect(url.searchParams.has('SAMLRequest')).toBe(true)
  return { agent, url }
}

/** The IdP's LogoutResponse to the SP's LogoutRequest, as an HTTP-Redirect URL. */
export async function idpLogoutResponse(pair: FuzzPair) {
  const { agent, url: request } = await spLogoutRequest(pair)
  const url = new URL(locationOf(await agent.request(request.href, { from: `${spUrl}/` })))
  expect(url.searchParams.has('SAMLResponse')).toBe(true)
  return { agent, url }
}
