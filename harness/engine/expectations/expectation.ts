import type { HTMLElement } from 'node-html-parser'
import type * as z from 'zod'
import type { SpSession } from '../../../sp/session/sp-sessions.ts'
import type { Driver, PageState } from '../drivers/driver.ts'
import type { World } from '../world.ts'

/** The current page as the page checks read it. */
export interface ReadPage {
  state: PageState
  document: HTMLElement
  /** The page is served by the IdP (not the SP). */
  onIdp: boolean
}

/** What an expectation's checks read, each looked up once per `expect` and only when asked. */
export interface CheckContext {
  world: World
  driver: Driver
  /** This browser's SP session, peeked: checking never counts as the visitor's activity. */
  session(): Promise<SpSession | undefined>
  page(): Promise<ReadPage>
  /** Records a mismatch when the two differ as text; every mismatch is reported together. */
  compare(check: string, expected: unknown, actual: unknown): void
}

/** One key of an `expect:` mapping: the value written and how it is checked. */
export interface ExpectationCheck<S extends z.ZodType = z.ZodType> {
  schema: S
  check(expected: z.output<S>, context: CheckContext): Promise<void> | void
}

export function defineCheck<S extends z.ZodType>(check: ExpectationCheck<S>): ExpectationCheck<S> {
  return check
}
