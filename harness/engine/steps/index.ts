import type * as z from 'zod'
import type { Driver } from '../drivers/driver.ts'
import type { World } from '../world.ts'
import { agentSteps } from './agent-steps.ts'
import { expectStep } from './expect-step.ts'
import { messengerSteps } from './messenger-steps.ts'
import { oidcSteps } from './oidc-steps.ts'
import { requestSteps } from './request-steps.ts'
import type { StepDefinition } from './step.ts'
import { visitorSteps } from './visitor-steps.ts'
import { worldSteps } from './world-steps.ts'

/**
 * Every scenario step, by keyword: its argument's schema, its description and how it runs.
 * A new step is one entry here (and a row in scenarios/README.md); the loader, the published
 * JSON Schema, the runner and the reports all read this registry.
 */
export const stepRegistry = {
  ...visitorSteps,
  ...worldSteps,
  ...oidcSteps,
  ...messengerSteps,
  ...agentSteps,
  ...requestSteps,
  ...expectStep,
}

type Registry = typeof stepRegistry
export type StepKind = keyof Registry
export const stepKinds = Object.keys(stepRegistry) as StepKind[]

/** A parsed step: its keyword, its argument as the schema gives it, and its line in the file. */
export type Step = {
  [K in StepKind]: { kind: K; arg: z.output<Registry[K]['schema']>; line?: number }
}[StepKind]

function definitionOf(step: Step): StepDefinition {
  return stepRegistry[step.kind] as StepDefinition
}

export function isStepKind(keyword: string): keyword is StepKind {
  return Object.hasOwn(stepRegistry, keyword)
}

/** The step in the scenario's words, for progress lines and reports. */
export function describeStep(step: Step): string {
  return definitionOf(step).describe(step.arg)
}

export async function runStep(step: Step, world: World, driver: Driver): Promise<void> {
  await definitionOf(step).run(step.arg, { world, driver })
}
