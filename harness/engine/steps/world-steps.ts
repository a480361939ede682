import { userSchema } from '../../../idp/users/user.ts'
import { durationSchema } from '../scenario-values.ts'
import { defineStep, noArgument } from './step.ts'

/** What the harness does to the world between the visitor's steps: time, restarts, users. */
export const worldSteps = {
  /** Move the shared virtual clock. */
  'advance time': defineStep({
    schema: durationSchema,
    describe: (ms) => `advance time by ${spelledDuration(ms)}`,
    run: (ms, { world }) => world.clock.advance(ms),
  }),

  /** Restart the SP process (a new SP instance over the same data). */
  'restart sp': defineStep({
    schema: noArgument(),
    describe: () => 'restart the SP',
    run: (_, { world }) => world.restartSp(),
  }),

  /** Change (or add) a user at the IdP, e.g. a new email before the next sign-on. */
  'update idp user': defineStep({
    schema: userSchema,
    describe: (user) => `change the IdP's user ${user.id}`,
    run: (user, { world }) => {
      world.idp.users.put(user)
    },
  }),
}

/** A duration in the scenario's own notation, largest unit first: `47h59m`. */
function spelledDuration(ms: number): string {
  const units: [string, number][] = [
    ['d', 86_400_000],
    ['h', 3_600_000],
    ['m', 60_000],
    ['s', 1000],
    ['ms', 1],
  ]
  let rest = ms
  let out = ''
  for (const [unit, size] of units) {
    const count = Math.floor(rest / size)
    if (count > 0) {
      out += `${count}${unit}`
      rest -= count * size
    }
  }
  return out || '0s'
}
