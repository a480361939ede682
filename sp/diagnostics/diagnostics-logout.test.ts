import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { type RunningSp, startSpCommand } from '../../cli/sp.ts'
import { UserAgent } from '../../harness/http-driver/user-agent.ts'
import { registrationFromMetadata } from '../../idp/service-providers/from-metadata.ts'
import { type LoopbackPair, startLoopbackPair } from '../../tests/fixtures/loopback-pair.ts'
import { formToken, signIn } from '../../tests/fixtures/visitor.ts'
import type { SignInAttempt } from './attempt.ts'

// `ssoproof sp --check-all` against the mock IdP over loopback: logout attempts are recorded
// like sign-ins, and the guided logout step passes only on this browser's validated exchange.
let idp: LoopbackPair
let guided: RunningSp
let data: string

beforeAll(async () => {
  idp = await startLoopbackPair()
  data = await mkdtemp(join(tmpdir(), 'ssoproof-sp-logout-'))
  guided = await startSpCommand({
    values: { 'saml-metadata': `${idp.idpUrl}/saml/metadata`, port: '0', data, 'check-all': true },
    log: () => {},
  })
  idp.pair.idp.serviceProviders.register(registrationFromMetadata(guided.sp.metadata()))
})

afterAll(async () => {
  await guided?.close()
  await idp?.close()
  if (data) await rm(data, { recursive: true, force: true })
})

async function json<T>(agent: UserAgent, url: string): Promise<T> {
  return JSON.parse((await agent.request(url)).html) as T
}

interface Summary {
  steps: Array<{ id: string; status: string; reason: string; attemptId?: string }>
}

async function logoutStep(agent: UserAgent) {
  const summary = await json<Summary>(agent, `${guided.url}/check-all/summary.json`)
  return summary.steps.find((step) => step.id === 'logout')
}

async function logOut(agent: UserAgent) {
  const page = await agent.navigate(`${guided.url}/check-all`)
  return agent.submit(page, 'form[action="/check-all/logout"]')
}

describe('ssoproof sp --check-all: the logout step needs a logout exchange', () => {
  it('fails in a fresh browser: there is no session, and nothing was exchanged', async () => {
    const agent = new UserAgent()
    const page = await agent.navigate(`${guided.url}/check-all`)
    await agent.navigate(`${guided.url}/check-all/logout`, {
      method: 'POST',
      form: { form_token: await formToken(agent, guided.url) },
      from: page.url,
    })
    expect(await logoutStep(agent)).toMatchObject({
      status: 'failed',
      reason: 'there was no SP session to log out: sign in first (step 1 must pass)',
    })
  })

  it('fails after a failed sign-in', async () => {
    idp.pair.idp.faults.add({
      kind: 'saml-mismatch',
      field: 'Audience',
      value: 'https://someone-else.example/sp',
      remaining: 1,
    })
    const agent = new UserAgent()
    await agent.navigate(`${guided.url}/check-all`)
    await signIn(agent, 'alice', { base: guided.url, returnUrl: '/check-all' })
    const summary = await json<Summary>(agent, `${guided.url}/check-all/summary.json`)
    expect(summary.steps[0]?.status).toBe('failed')
    await logOut(agent)
    expect((await logoutStep(agent))?.status).toBe('failed')
  })

  it('fails when the IdP answers with a LogoutResponse the SP refuses, and links its diagnostics', async () => {
    const agent = new UserAgent()
    await agent.navigate(`${guided.url}/check-all`)
    await signIn(agent, 'bob', { base: guided.url, returnUrl: '/check-all' })
    // The IdP's answer to this browser's LogoutRequest, kept from reaching the SP.
    const page = await agent.navigate(`${guided.url}/check-all`)
    const toIdp = await agent.request(`${guided.url}/check-all/logout`, {
      method: 'POST',
      form: { form_token: await formToken(agent, guided.url) },
      from: page.url,
    })
    const atSp = await agent.request(`${guided.url}${toIdp.headers.get('location')}`, {
      method: 'POST',
      form: { form_token: await formToken(agent, guided.url) },
      from: page.url,
    })
    const atIdp = await agent.request(atSp.headers.get('location') ?? '', { from: page.url })
    const answer = new URL(atIdp.headers.get('location') ?? '')
    expect(answer.pathname).toBe('/saml/slo')
    // Its signature broken: a refused LogoutResponse ends on its own diagnostics page.
    const signature = answer.searchParams.get('Signature') ?? ''
    answer.searchParams.set('Signature', `${signature.slice(0, -6)}AAAAA=`)
    const refused = await agent.navigate(answer.href)
    expect(refused.url).toMatch(new RegExp(`^${guided.url}/diagnostics/[\\w-]+$`))
    expect(refused.document.querySelector('h1')?.text).toContain('Logout refused')
    expect(refused.document.querySelector('#error-code')?.text).toBe(
      'SAML_LOGOUT_SIGNATURE_INVALID',
    )
    const step = await logoutStep(agent)
    expect(step?.status).toBe('failed')
    expect(step?.reason).toContain('SAML_LOGOUT_SIGNATURE_INVALID')
    expect(refused.url.endsWith(`/diagnostics/${step?.attemptId}`)).toBe(true)
    const attempt = await json<SignInAttempt>(agent, `${refused.url}.json`)
    expect(attempt.checks.map((check) => [check.check, check.outcome])).toEqual([
      ['LogoutRequest (sent)', 'pass'],
      ['LogoutResponse', 'pass'],
      ['Issuer', 'pass'],
      ['Destination', 'pass'],
      ['Signature', 'fail'],
      ['InResponseTo', 'not-reached'],
      ['Status', 'not-reached'],
      ['Signed out', 'not-reached'],
    ])
  })

  it('another browser’s logout exchange does not pass this browser’s step', async () => {
    const mine = new UserAgent()
    await mine.navigate(`${guided.url}/check-all`)
    await signIn(mine, 'alice', { base: guided.url, returnUrl: '/check-all' })
    // Logout started here: the SP session ends and a LogoutRequest goes out, but the answer
    // never comes back to this browser.
    const page = await mine.navigate(`${guided.url}/check-all`)
    const started = await mine.request(`${guided.url}/check-all/logout`, {
      method: 'POST',
      form: { form_token: await formToken(mine, guided.url) },
      from: page.url,
    })
    const toIdp = await mine.request(`${guided.url}${started.headers.get('location')}`, {
      method: 'POST',
      form: { form_token: await formToken(mine, guided.url) },
      from: page.url,
    })
    expect(new URL(toIdp.headers.get('location') ?? '').searchParams.has('SAMLRequest')).toBe(true)
    const theirs = new UserAgent()
    await theirs.navigate(`${guided.url}/check-all`)
    await signIn(theirs, 'carol', {
      base: guided.url,
      returnUrl: '/check-all',
      password: 'carol-secret',
    })
    await logOut(theirs)
    expect((await logoutStep(theirs))?.status).toBe('passed')
    await mine.navigate(`${guided.url}/check-all/logged-out`)
    expect(await logoutStep(mine)).toMatchObject({
      status: 'failed',
      reason: 'no validated LogoutResponse came back for this browser’s LogoutRequest',
    })
  })
})

describe('ssoproof sp diagnostics of an IdP-initiated logout', () => {
  it('records the IdP LogoutRequest, its checks, the sessions ended and the answer', async () => {
    const agent = new UserAgent()
    await signIn(agent, 'alice', { base: guided.url })
    const page = await agent.navigate(`${idp.idpUrl}/logout`)
    const done = await agent.submit(page, '#logout-form')
    expect(done.document.querySelector('#status')?.text).toBe('You are signed out')
    const index = await agent.navigate(`${guided.url}/diagnostics`)
    const id = index.document.querySelector('tr[data-kind="logout"]')?.getAttribute('data-attempt')
    const attempt = await json<SignInAttempt>(agent, `${guided.url}/diagnostics/${id}.json`)
    expect(attempt).toMatchObject({
      kind: 'logout',
      verdict: 'accepted',
      logout: { message: 'LogoutRequest', inResponseTo: null },
      identity: { NameID: 'alice' },
    })
    expect(attempt.checks.map((check) => [check.check, check.outcome])).toEqual([
      ['LogoutRequest', 'pass'],
      ['Issuer', 'pass'],
      ['Destination', 'pass'],
      ['NotOnOrAfter', 'pass'],
      ['Signature', 'pass'],
      ['SingleLogoutService', 'pass'],
      ['Sessions', 'pass'],
      ['LogoutResponse (sent)', 'pass'],
    ])
    const byName = Object.fromEntries(attempt.checks.map((check) => [check.check, check.details]))
    expect(byName.Sessions).toEqual({ ended: '1' })
    expect(byName['LogoutResponse (sent)']).toMatchObject({
      Status: 'urn:oasis:names:tc:SAML:2.0:status:Success',
    })
    const html = await agent.navigate(`${guided.url}/diagnostics/${id}`)
    expect(html.document.querySelector('h1')?.text).toContain('Logout accepted')
  })
})
