import * as z from 'zod'
import { toCertificatePem } from '../../../core/keys/parse.ts'
import { selfSignedCertificate } from '../../../core/keys/self-signed.ts'
import { userSchema } from '../../../idp/users/user.ts'
import { StepFailure } from '../drivers/driver.ts'
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

  /**
   * The SP restarts with another IdP certificate for an agent site: one for the IdP's own key
   * whose own signature uses this hash. An SP that refuses the setting at start keeps running
   * as it was; `expect: { sp start refused: CODE }` reads the refusal.
   */
  'restart sp with agent site certificate': defineStep({
    schema: z
      .object({ site: z.string().min(1), 'signed with': z.enum(['SHA-256', 'SHA-1']) })
      .strict(),
    describe: (change) =>
      `restart the SP with a ${change['signed with']}-signed IdP certificate for agent site ${change.site}`,
    run: async (change, { world }) => {
      const credential = world.idp.config.credential
      const der = await selfSignedCertificate({
        commonName: 'ssoproof scenario IdP',
        notBefore: credential.notBefore,
        notAfter: credential.notAfter,
        privateKey: credential.privateKey,
        publicKey: credential.publicKey,
        subjectAltNames: [],
        signatureHash: change['signed with'] === 'SHA-1' ? 'sha1' : 'sha256',
      })
      const certificate = toCertificatePem(der.toString('base64'))
      world.restartSpWith((options) => {
        const sites = options.agentSso?.sites ?? []
        if (!sites.some((site) => site.id === change.site)) {
          throw new StepFailure(`the SP has no agent site ${change.site}`, change.site)
        }
        return {
          ...options,
          agentSso: {
            ...options.agentSso,
            sites: sites.map((site) => (site.id === change.site ? { ...site, certificate } : site)),
          },
        }
      })
    },
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
