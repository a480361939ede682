import * as z from 'zod'
import type { Driver } from '../drivers/driver.ts'
import type { World } from '../world.ts'

/** What a step acts on: the run's world (IdP, SP, clock, trace) and the visitor's driver. */
export interface StepContext {
  world: World
  driver: Driver
}

/**
 * One scenario step: everything the engine knows about it in one entry. The keyword is the
 * registry key (`steps/index.ts`); the schema checks the argument written after it, and a
 * schema that accepts `undefined` lets the keyword stand alone (`log out`).
 */
export interface StepDefinition<S extends z.ZodType = z.ZodType> {
  schema: S
  /** The step in the scenario's words, for progress lines and reports. */
  describe(arg: z.output<S>): string
  run(arg: z.output<S>, context: StepContext): Promise<void> | void
  /**
   * The step acts only through the IdP and the visitor's browser, so `ssoproof attack` can
   * replay a scenario made of such steps against someone else's SP.
   */
  portable?: true
}

/** Declares a step, typing `describe` and `run` by its schema's output. */
export function defineStep<S extends z.ZodType>(definition: StepDefinition<S>): StepDefinition<S> {
  return definition
}

/** A schema for steps that take no argument: the bare keyword. */
export function noArgument() {
  return z.null().default(null)
}
