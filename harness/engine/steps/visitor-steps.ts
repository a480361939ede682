import * as z from 'zod'
import { StepFailure } from '../drivers/driver.ts'
import { sameOriginPathSchema } from '../scenario-values.ts'
import type { World } from '../world.ts'
import { defineStep, noArgument } from './step.ts'

/**
 * The base URL of a campaign (`/c/<id>`, or the root one) of the SP, or of the scenario's other
 * SP (`setup.otherSp`) with `sp: other`.
 */
export function campaignUrl(
  world: World,
  campaign: string | undefined,
  sp: 'main' | 'other' = 'main',
): string {
  const base = sp === 'other' ? world.otherSpUrl : world.spUrl
  if (base === undefined) throw new StepFailure('the scenario has no other SP (setup.otherSp)')
  const root = base.replace(/\/+$/, '')
  return campaign === undefined ? root : `${root}/c/${encodeURIComponent(campaign)}`
}

export const campaignSchema = z.string().regex(/^[a-z0-9][a-z0-9-]*$/, 'a campaign id, e.g. shop')
/** Which SP a step acts at: the scenario's SP, or its second one (`setup.otherSp`). */
export const spChoiceSchema = z.enum(['main', 'other'])

/** The visitor's sign-in and sign-out, at the SP and at the IdP. */
export const visitorSteps = {
  /** The visitor opens an SP page. */
  open: defineStep({
    schema: sameOriginPathSchema.default('/'),
    describe: (path) => `open ${path}`,
    run: (path, { world, driver }) => driver.goto(new URL(path, world.spUrl).toString()),
  }),

  /**
   * The visitor opens a page of the IdP with query parameters of the scenario's choosing, each
   * URL-encoded, `{sp}` and `{idp}` standing for the base URLs: e.g. the JWT remote login with a
   * return_url the SP never wrote, to prove what the SP does with it on the way back.
   */
  'open at the idp': defineStep({
    schema: z
      .object({
        path: sameOriginPathSchema,
        query: z.record(z.string(), z.string()).default({}),
      })
      .strict(),
    describe: ({ path, query }) =>
      `open the IdP's ${path}${Object.entries(query)
        .map(([name, value], index) => `${index === 0 ? ' with ' : ', '}${name} ${value}`)
        .join('')}`,
    run: ({ path, query }, { world, driver }) => {
      const url = new URL(path, world.idpUrl)
      for (const [name, value] of Object.entries(query)) {
        url.searchParams.set(
          name,
          value.replaceAll('{sp}', world.spUrl).replaceAll('{idp}', world.idpUrl),
        )
      }
      return driver.goto(url.href)
    },
  }),

  /**
   * The visitor clicks "Sign in" at the SP (SP-initiated); optional return_url, and the campaign
   * under /c/<id>/ (`setup.campaigns`) instead of the root one.
   */
  'sign in': defineStep({
    schema: z
      .object({
        return_url: z.string().optional(),
        campaign: campaignSchema.optional(),
        sp: spChoiceSchema.optional(),
      })
      .strict()
      .default({}),
    describe: ({ return_url, campaign, sp }) =>
      `sign in at the ${sp === 'other' ? 'other ' : ''}SP${campaign !== undefined ? ` (campaign ${campaign})` : ''}${return_url !== undefined ? `, return_url ${return_url}` : ''}`,
    run: ({ return_url, campaign, sp }, { world, driver }) => {
      const url = new URL(`${campaignUrl(world, campaign, sp)}/login`)
      if (return_url !== undefined) url.searchParams.set('return_url', return_url)
      return driver.goto(url.toString())
    },
    portable: true,
  }),

  /** At the IdP's login form: sign in as a user (with their password, or the one given). */
  'log in': defineStep({
    schema: z.union([
      z.string().min(1),
      z.object({ user: z.string().min(1), password: z.string().optional() }).strict(),
    ]),
    describe: (login) => {
      const user = typeof login === 'string' ? login : login.user
      const withPassword =
        typeof login === 'object' && login.password !== undefined ? ' with a given password' : ''
      return `log in at the IdP as ${user}${withPassword}`
    },
    run: (login, { world, driver }) => {
      const userId = typeof login === 'string' ? login : login.user
      const given = typeof login === 'object' ? login.password : undefined
      const password = given ?? world.idp.users.get(userId)?.password ?? ''
      return driver.submitLogin(userId, password, 'login')
    },
    portable: true,
  }),

  /** At the IdP's second step (its second-factor form): enter the one-time code and continue. */
  'enter second factor': defineStep({
    schema: z.union([z.string().regex(/^[0-9]{1,12}$/), z.number().int().nonnegative()]),
    describe: () => 'enter the one-time code at the IdP second-factor form',
    run: (code, { driver }) =>
      driver.submitForm('#second-factor-form', { otp: String(code).padStart(6, '0') }),
  }),

  /** At the IdP's login form: press Cancel. */
  'cancel login': defineStep({
    schema: noArgument(),
    describe: () => 'cancel at the IdP login form',
    run: (_, { driver }) => driver.submitLogin('', '', 'cancel'),
  }),

  /** The visitor starts at the IdP (IdP-initiated SSO), optionally with a RelayState. */
  'idp-initiated sign in': defineStep({
    schema: z.object({ RelayState: z.string().optional() }).strict().default({}),
    describe: ({ RelayState }) =>
      RelayState !== undefined
        ? `start at the IdP (IdP-initiated), RelayState ${RelayState}`
        : 'start at the IdP (IdP-initiated)',
    run: ({ RelayState }, { world, driver }) => {
      const url = new URL('/saml/idp-initiated', world.idpUrl)
      url.searchParams.set('sp', world.sp.config.entityId)
      if (RelayState !== undefined) url.searchParams.set('RelayState', RelayState)
      return driver.goto(url.toString())
    },
    portable: true,
  }),

  /**
   * The visitor presses "Sign out" at the SP; with `return_url` (where to land afterwards) or
   * `campaign`, the sign-out is posted from that page of the campaign.
   */
  'log out': defineStep({
    schema: z
      .object({
        return_url: sameOriginPathSchema.optional(),
        campaign: campaignSchema.optional(),
        sp: spChoiceSchema.optional(),
      })
      .strict()
      .nullable()
      .default(null),
    describe: (arg) =>
      `log out at the ${arg?.sp === 'other' ? 'other ' : ''}SP${arg?.campaign !== undefined ? ` (campaign ${arg.campaign})` : ''}${arg?.return_url !== undefined ? `, return_url ${arg.return_url}` : ''}`,
    run: (arg, { world, driver }) => {
      if (arg === null) return driver.signOut(new URL('/', world.spUrl).toString())
      const base = campaignUrl(world, arg.campaign, arg.sp)
      const query =
        arg.return_url === undefined
          ? ''
          : `?${new URLSearchParams({ return_url: arg.return_url })}`
      return driver.post(`${base}/logout${query}`, {})
    },
  }),

  /** The visitor signs out at the IdP's own page (IdP-initiated single logout). */
  'log out at the idp': defineStep({
    schema: noArgument(),
    describe: () => 'sign out at the IdP (IdP-initiated logout)',
    run: async (_, { world, driver }) => {
      await driver.goto(new URL('/logout', world.idpUrl).toString())
      return driver.submitForm('#logout-form')
    },
  }),

  /**
   * Deliver the last SAML response or artifact the browser brought to the ACS (or the last JWT
   * or OIDC callback) again: a replay.
   */
  'replay last response': defineStep({
    schema: noArgument(),
    describe: () => 'deliver the last SAML response, artifact or token callback to the SP again',
    run: (_, { world, driver }) => {
      const last = world.trace.lastAcsDelivery
      if (!last) {
        throw new StepFailure('no SAML response, artifact or token callback reached the SP yet')
      }
      return last.form ? driver.post(last.url, last.form) : driver.goto(last.url)
    },
  }),
}
