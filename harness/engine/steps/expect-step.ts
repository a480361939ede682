import { checkExpectation, type Expectation, expectationSchema } from '../expectations/index.ts'
import { defineStep } from './step.ts'

export const expectStep = {
  /** Check the state; each key is one check (expectations/index.ts lists them). */
  expect: defineStep({
    schema: expectationSchema,
    describe: (expectation) => `expect ${describeExpectation(expectation)}`,
    run: (expectation, { world, driver }) => checkExpectation(expectation, world, driver),
    // `ssoproof attack` reads a scenario's expectations for its verdict instead of running them.
    portable: true,
  }),
}

function describeExpectation(expectation: Expectation): string {
  return Object.entries(expectation)
    .map(
      ([key, value]) =>
        `${key} ${typeof value === 'object' ? JSON.stringify(value) : String(value)}`,
    )
    .join(', ')
}
