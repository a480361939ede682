import * as z from 'zod'
import { defineCheck } from './expectation.ts'

/** What the IdP's admin API holds: unchanged counts prove a refused admin call created nothing. */
export const adminChecks = {
  /** How many users the IdP has (the four built-in ones and the setup's). */
  'idp users': defineCheck({
    schema: z.number().int().nonnegative(),
    check(expected, { world, compare }) {
      compare('idp users', expected, world.idp.users.list().length)
    },
  }),

  /** How many service providers are registered at the IdP. */
  'service providers': defineCheck({
    schema: z.number().int().nonnegative(),
    check(expected, { world, compare }) {
      compare('service providers', expected, world.idp.serviceProviders.list().length)
    },
  }),
}
