import { parse } from 'node-html-parser'
import * as z from 'zod'
import { spSessionCookie } from '../../../sp/session/sp-sessions.ts'
import { type Driver, StepFailure } from '../drivers/driver.ts'
import type { World } from '../world.ts'
import { adminChecks } from './admin-checks.ts'
import { agentSsoChecks } from './agent-sso-checks.ts'
import { consoleChecks } from './console-checks.ts'
import { credentialChecks } from './credential-checks.ts'
import type { CheckContext, ReadPage } from './expectation.ts'
import { idpReceivedChecks } from './idp-received-checks.ts'
import { pageChecks } from './page-checks.ts'
import { sessionChecks } from './session-checks.ts'
import { signOffChecks } from './sign-off-checks.ts'
import { storeChecks } from './store-checks.ts'

/**
 * Every key an `expect:` step may hold, in the order they are checked (and their mismatches
 * listed): one entry per key, with its schema and its check.
 */
export const expectationChecks = {
  ...sessionChecks,
  ...signOffChecks,
  ...pageChecks,
  ...consoleChecks,
  ...agentSsoChecks,
  ...adminChecks,
  ...idpReceivedChecks,
  ...credentialChecks,
  ...storeChecks,
}

type Checks = typeof expectationChecks
export type ExpectationKey = keyof Checks

const shape = Object.fromEntries(
  Object.entries(expectationChecks).map(([key, entry]) => [key, entry.schema.optional()]),
) as { [K in ExpectationKey]: z.ZodOptional<Checks[K]['schema']> }

export const expectationSchema = z
  .object(shape)
  .strict()
  .refine((value) => Object.keys(value).length > 0, 'an expectation needs at least one check')

export type Expectation = z.output<typeof expectationSchema>

interface Mismatch {
  check: string
  expected: string
  actual: string
}

/** Runs every check of an expectation; all mismatches are reported together. */
export async function checkExpectation(
  expectation: Expectation,
  world: World,
  driver: Driver,
): Promise<void> {
  const mismatches: Mismatch[] = []
  let session: ReturnType<CheckContext['session']> | undefined
  let page: Promise<ReadPage> | undefined
  const context: CheckContext = {
    world,
    driver,
    session: () => {
      session ??= driver
        .cookie(world.spUrl, spSessionCookie)
        .then((token) => world.sp.sessions.peek(token))
      return session
    },
    page: () => {
      page ??= driver.page().then((state) => ({
        state,
        document: parse(state.html, { blockTextElements: { pre: true } }),
        onIdp: new URL(state.url).origin === new URL(world.idpUrl).origin,
      }))
      return page
    },
    compare(check, expected, actual) {
      const e = show(expected)
      const a = show(actual)
      if (e !== a) mismatches.push({ check, expected: e, actual: a })
    },
  }
  for (const [key, entry] of Object.entries(expectationChecks)) {
    const expected = expectation[key as ExpectationKey]
    if (expected !== undefined) await entry.check(expected as never, context)
  }
  if (mismatches.length > 0) {
    const checks = mismatches.map((mismatch) => mismatch.check).join(', ')
    throw new StepFailure(
      `${checks}: not as expected`,
      mismatches.map((m) => `${m.check}: ${m.expected}`).join('\n'),
      mismatches.map((m) => `${m.check}: ${m.actual}`).join('\n'),
    )
  }
}

function show(value: unknown): string {
  if (Array.isArray(value)) return value.map(String).join(', ')
  return String(value)
}
