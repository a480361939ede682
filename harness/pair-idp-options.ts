import * as z from 'zod'
import { parseConfig } from '../core/config/parse-config.ts'
import {
  baseUrlSchema,
  clockSchema,
  credentialSchema,
  fetchSchema,
  logSchema,
  randomSchema,
} from '../core/config/shapes.ts'
import { adminTokenSchema } from '../core/http/guard/server-options.ts'
import { idpDatabaseSchema } from '../idp/options.ts'
import { userSchema } from '../idp/users/user.ts'

/**
 * The settings of a pair (`createPair`, pair-options.ts) that its IdP needs, and those shared
 * with the SP: kept apart so that `createPairInSteps` checks them and makes the IdP without
 * loading the SP's schemas.
 */
export const pairIdpShape = {
  idpBaseUrl: baseUrlSchema,
  idpCredential: credentialSchema,
  /** The IdP's users (default: the built-in alice, bob, carol and dave). */
  users: z.array(userSchema).optional(),
  /** Shared by the IdP and the SP (default: the system clock, randomness and stderr). */
  clock: clockSchema.optional(),
  random: randomSchema.optional(),
  log: logSchema.optional(),
  /** Both servers' admin token: admin calls need `Authorization: Bearer <adminToken>`. */
  adminToken: adminTokenSchema.optional(),
  /** Which pages may frame the IdP's pages (createIdp's `frameAncestors`); default any. */
  idpFrameAncestors: z.array(z.string()).optional(),
  /** Hosts both servers' outbound fetches may reach besides loopback and public addresses. */
  allowedFetchHosts: z.array(z.string().min(1)).optional(),
  /** The IdP's outbound HTTP (back-channel logout and JWT sign-off at the SP); default: global fetch. */
  idpFetch: fetchSchema.optional(),
  /** The IdP's database (default: in memory); `serve` passes its file under the data folder. */
  idpDatabase: idpDatabaseSchema.optional(),
}

const pairIdpOptionsSchema = z.object(pairIdpShape).strict()

export type PairIdpOptions = z.input<typeof pairIdpOptionsSchema>

/**
 * Validates the IdP's part of a pair's options (the keys of `pairIdpShape`, the others left for
 * the whole schema to check when the SP is attached): CONFIG_INVALID as `createPair` names it.
 */
export function parsePairIdpOptions<T extends PairIdpOptions>(input: T): T {
  const own =
    typeof input === 'object' && input !== null
      ? Object.fromEntries(
          Object.entries(input).filter(([key]) => Object.hasOwn(pairIdpShape, key)),
        )
      : input
  parseConfig(pairIdpOptionsSchema, own, 'createPair options')
  return input
}
