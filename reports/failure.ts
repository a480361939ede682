import type { ScenarioResult, StepResult } from './model.ts'

/** The first failure of a failed result, with the step it happened at when there is one. */
export interface FailureView {
  step: number
  text: string
  message: string
  expected?: string
  actual?: string
  /** The step itself, for its trace and screenshot. */
  stepResult?: StepResult
}

/**
 * Reads the failure of a result: the `failure` field when the engine filled it in, otherwise the
 * first failed step. Undefined for a passed result.
 */
export function failureOf(result: ScenarioResult): FailureView | undefined {
  if (result.status === 'passed') return undefined
  const failedStep = result.failure
    ? result.steps.find((step) => step.index === result.failure?.step)
    : result.steps.find((step) => step.status === 'failed')
  if (result.failure) return { ...result.failure, stepResult: failedStep }
  if (failedStep) {
    return {
      step: failedStep.index,
      text: failedStep.text,
      message: failedStep.message ?? 'the step failed',
      expected: failedStep.expected,
      actual: failedStep.actual,
      stepResult: failedStep,
    }
  }
  return { step: 1, text: 'scenario', message: 'the scenario failed before its first step' }
}

/** `step 3: expect signed in as alice: the SP showed SAML_AUDIENCE_MISMATCH`, on one line. */
export function failureHeadline(failure: FailureView): string {
  return oneLine(`step ${failure.step}: ${failure.text}: ${failure.message}`)
}

/** Folds every run of white space, line breaks included, into one space. */
export function oneLine(text: string): string {
  return text.replace(/\s+/g, ' ').trim()
}

/**
 * The step whose HTTP exchanges explain a failure: the failing step when it made some, otherwise
 * the last step before it that did (an `expect` reads state without a request, so the exchanges
 * that produced that state are the evidence).
 */
export function tracedStepAt(result: ScenarioResult, failedAt: number): StepResult | undefined {
  return result.steps.findLast((step) => step.index <= failedAt && step.trace.length > 0)
}
