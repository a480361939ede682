import * as z from 'zod'
import { faultSchema } from '../../../idp/faults/schema.ts'
import { sameOriginPathSchema } from '../scenario-values.ts'
import { defineStep } from './step.ts'
import { campaignSchema, campaignUrl } from './visitor-steps.ts'

/**
 * OpenID Connect beyond the sign-in itself: a refresh, a login the IdP starts, and what the
 * harness changes at the IdP mid-scenario (a key rotation, a fault for the next message).
 */
export const oidcSteps = {
  /** The signed-in visitor's SP refreshes its tokens (POST /oidc/refresh). */
  'refresh tokens': defineStep({
    schema: z
      .object({ return_url: sameOriginPathSchema.optional(), campaign: campaignSchema.optional() })
      .strict()
      .default({}),
    describe: ({ campaign }) =>
      `the SP refreshes the visitor's tokens${campaign !== undefined ? ` (campaign ${campaign})` : ''}`,
    run: ({ return_url, campaign }, { world, driver }) => {
      const query = return_url === undefined ? '' : `?${new URLSearchParams({ return_url })}`
      return driver.post(`${campaignUrl(world, campaign)}/oidc/refresh${query}`, {})
    },
  }),

  /**
   * Login initiated at the IdP (OIDC Core §4): the IdP sends the browser to the SP's
   * initiate_login_uri with iss, login_hint and target_link_uri (a path of the SP, made absolute).
   */
  'initiate login at the idp': defineStep({
    schema: z
      .object({
        login_hint: z.string().min(1).optional(),
        target_link_uri: z.string().min(1).optional(),
        campaign: campaignSchema.optional(),
      })
      .strict()
      .default({}),
    describe: ({ login_hint, target_link_uri }) =>
      `start at the IdP's login for the client${login_hint !== undefined ? `, login_hint ${login_hint}` : ''}${target_link_uri !== undefined ? `, target_link_uri ${target_link_uri}` : ''}`,
    run: ({ login_hint, target_link_uri, campaign }, { world, driver }) => {
      const client = campaignUrl(world, campaign)
      const url = new URL('/oidc/initiate-login', world.idpUrl)
      url.searchParams.set('client_id', client)
      if (login_hint !== undefined) url.searchParams.set('login_hint', login_hint)
      if (target_link_uri !== undefined) {
        const absolute = target_link_uri.startsWith('/')
          ? `${new URL(world.spUrl).origin}${target_link_uri}`
          : target_link_uri
        url.searchParams.set('target_link_uri', absolute)
      }
      return driver.goto(url.toString())
    },
  }),

  /**
   * The IdP rotates its signing key of an algorithm now (POST /admin/keys/rotate); `stage`
   * publishes the next key first, signing with it from the next rotation on.
   */
  'rotate idp keys': defineStep({
    schema: z
      .object({
        algorithm: z.enum(['RS256', 'ES256']).default('RS256'),
        stage: z.boolean().default(false),
      })
      .strict()
      .default({ algorithm: 'RS256', stage: false }),
    describe: ({ algorithm, stage }) =>
      stage
        ? `the IdP publishes its next ${algorithm} key`
        : `the IdP rotates its ${algorithm} key`,
    run: async ({ algorithm, stage }, { world }) => {
      await (stage ? world.idp.keys.stage(algorithm) : world.idp.keys.rotate(algorithm))
    },
  }),

  /** A fault for what the IdP sends from now on (idp/faults/README.md), e.g. only the second sign-in's. */
  'add idp fault': defineStep({
    schema: faultSchema,
    describe: (fault) => `the IdP starts the fault ${fault.kind}`,
    run: async (fault, { world }) => {
      world.idp.faults.add(fault, 'add idp fault')
      await world.idp.faults.ready()
    },
  }),
}
