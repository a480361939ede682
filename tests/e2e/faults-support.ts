import { expect } from 'vitest'
import type { Page, UserAgent } from '../../harness/http-driver/user-agent.ts'
import type { FaultInput } from '../../idp/faults/schema.ts'
import { createInProcessPair, spUrl } from '../fixtures/in-process.ts'

export type Pair = Awaited<ReturnType<typeof createInProcessPair>>

/**
 * The real IdP and SP in-process, with these faults in the IdP's set (added after creation).
 * The SP's calls to the IdP give up when their signal aborts (fixtures/in-process.ts), so a slow
 * IdP is a timeout here too.
 */
export async function pairWithFaults(
  faults: FaultInput[],
  overrides: Parameters<typeof createInProcessPair>[0] = {},
) {
  const pair = await createInProcessPair(overrides)
  pair.idp.faults.addAll(faults)
  await pair.idp.faults.ready()
  return pair
}

export interface SignInResult {
  page: Page
  /** The stable code of the SP's (or IdP's) error page, null when there is none. */
  code: string | null
}

/** An SP-initiated sign-in as `user`, headless at the IdP, followed to the last page. */
export async function signIn(pair: Pair, agent: UserAgent, user = 'alice'): Promise<SignInResult> {
  pair.idp.queueLogin(user)
  const page = await agent.navigate(`${spUrl}/login`)
  return { page, code: page.document.querySelector('#error-code')?.text ?? null }
}

export async function sessionOf(agent: UserAgent) {
  return JSON.parse((await agent.request(`${spUrl}/api/session`)).html) as {
    signedIn: boolean
    subject?: { nameId: string }
  }
}

export function contactCount(pair: Pair): number {
  return (pair.sp.database.prepare('SELECT count(*) AS n FROM contacts').get() as { n: number }).n
}

/** The sign-in was refused with `code`: an error page (4xx), signed out, no contact stored. */
export async function expectRefused(pair: Pair, agent: UserAgent, code: string, user = 'alice') {
  const contactsBefore = contactCount(pair)
  const result = await signIn(pair, agent, user)
  expect(result.code).toBe(code)
  expect(result.page.status).toBeGreaterThanOrEqual(400)
  expect(result.page.status).toBeLessThan(500)
  expect(await sessionOf(agent)).toEqual({ signedIn: false })
  expect(contactCount(pair)).toBe(contactsBefore)
  return result
}

/** The sign-in was accepted: signed in as `nameId`, one contact stored. */
export async function expectAccepted(pair: Pair, agent: UserAgent, nameId = 'alice') {
  const result = await signIn(pair, agent, nameId)
  expect(result.code).toBeNull()
  expect((await sessionOf(agent)).subject?.nameId).toBe(nameId)
  expect(contactCount(pair)).toBeGreaterThan(0)
  return result
}

/** A fresh start for the same browser: every cookie (SP and IdP session) dropped. */
export async function clearCookies(agent: UserAgent) {
  await agent.jar.removeAllCookies()
}
