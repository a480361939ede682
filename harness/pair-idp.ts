import { createIdp, type Idp } from '../idp/create-idp.tsx'
import type { PairIdpOptions } from './pair-idp-options.ts'

/** The IdP of a pair (`createPair`, `createPairInSteps`), from the pair's options. */
export function pairIdp(options: PairIdpOptions): Idp {
  return createIdp({
    baseUrl: options.idpBaseUrl,
    credential: options.idpCredential,
    ...(options.users ? { users: options.users } : {}),
    ...(options.idpFetch ? { fetch: options.idpFetch } : {}),
    ...(options.idpFrameAncestors ? { frameAncestors: options.idpFrameAncestors } : {}),
    ...(options.idpDatabase ? { database: options.idpDatabase } : {}),
    ...sharedOptions(options),
  })
}

/**
 * What the IdP and every SP of a pair share: the clock, the randomness, the log, the admin token
 * and the hosts outbound fetches may reach.
 */
export function sharedOptions(
  options: Pick<PairIdpOptions, 'clock' | 'random' | 'log' | 'adminToken' | 'allowedFetchHosts'>,
) {
  return {
    ...(options.clock ? { clock: options.clock } : {}),
    ...(options.random ? { random: options.random } : {}),
    ...(options.log ? { log: options.log } : {}),
    ...(options.adminToken !== undefined ? { adminToken: options.adminToken } : {}),
    ...(options.allowedFetchHosts ? { allowedFetchHosts: options.allowedFetchHosts } : {}),
  }
}
