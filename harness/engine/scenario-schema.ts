import * as z from 'zod'
import { faultSchema } from '../../idp/faults/schema.ts'
import { userSchema } from '../../idp/users/user.ts'
import { agentInputSchema, agentSiteObject } from '../../sp/agents/settings.ts'
import { campaignSettingsSchema } from '../../sp/campaigns/settings.ts'
import { renamableParameters } from '../../sp/oidc/settings.ts'
import { catalogueCases } from './catalogue-cases.ts'
import { durationSchema } from './scenario-values.ts'
import { type Step, type StepKind, stepKinds, stepRegistry } from './steps/index.ts'

/**
 * The scenario file format. A file holds one scenario (a mapping) or several (a list). Setup
 * keys are camelCase like every other ssoproof config file; steps and expectations are written
 * in the visitor's words, as lowercase phrases (`log in`, `advance time`, `signed in as`).
 * `scenarios/scenario.schema.json` is generated from this file (`npm run scenario-schema`).
 */

/**
 * The protocols a scenario can run under: SAML with the IdP answering over HTTP-POST or
 * HTTP-Artifact, JWT token SSO (RS256, key from the IdP's certificate) and OpenID Connect
 * (authorization code with PKCE, discovery), the latter also with the answer by form_post.
 */
export const protocolNames = [
  'saml-post',
  'saml-artifact',
  'jwt',
  'oidc',
  'oidc-form-post',
] as const
export type ProtocolName = (typeof protocolNames)[number]

const idPattern = /^[a-z0-9][a-z0-9-]*$/

/** How the fake IdP treats the reference SP in this scenario. */
const idpSetupSchema = z
  .object({
    signResponse: z.boolean().optional(),
    signAssertion: z.boolean().optional(),
    nameIdFormat: z.enum(['unspecified', 'emailAddress', 'persistent', 'transient']).optional(),
    assertionLifetime: durationSchema.optional(),
    allowIdpInitiated: z.boolean().optional(),
    /**
     * Which pages may show the IdP's pages in a frame (createIdp's `frameAncestors`): absent,
     * any; `[]`, none; or `'self'` and origins, `{sp}` standing for the SP's.
     */
    frameAncestors: z
      .array(
        z
          .string()
          .regex(/^(?:'self'|\{sp\}|\{idp\}|https?:\/\/[^\s;,']+)$/, "'self', {sp} or an origin"),
      )
      .optional(),
    /**
     * Start the clock this long before the IdP's signing certificate (the one the SP trusts)
     * expires, so `advance time` can carry the run past its notAfter.
     */
    certificateExpiresIn: durationSchema.optional(),
    /** Encrypt the Assertion to the SP's encryption certificate. */
    encryptAssertion: z.boolean().optional(),
    encryptionAlgorithm: z.enum(['aes256-gcm', 'aes128-cbc']).optional(),
    /**
     * Faults the IdP injects into what it sends (idp/faults/README.md lists every kind): e.g.
     * `{ kind: saml-xsw, variant: 3 }`, `{ kind: jwt-alg-none, remaining: 1 }`.
     */
    faults: z.array(faultSchema).optional(),
    /**
     * OIDC: what the IdP's client registration of the SP says: the ID token and userinfo
     * algorithms (the SP accepts the ID token algorithm registered), and how the IdP signs it off
     * when the user's session ends (`back-channel` by default, `front-channel`, `both`, `none`).
     */
    oidcClient: z
      .object({
        idTokenSignedResponseAlg: z.enum(['RS256', 'ES256', 'HS256']).optional(),
        userinfoSignedResponseAlg: z.enum(['RS256', 'ES256', 'HS256']).optional(),
        logout: z.enum(['back-channel', 'front-channel', 'both', 'none']).optional(),
        /**
         * OAuth2 mode: the IdP's own parameter and claim names, when they differ from what
         * `sp.oidc` tells the SP (default: the same names at both ends).
         */
        parameterNames: z.partialRecord(z.enum(renamableParameters), z.string().min(1)).optional(),
        claimNames: z.record(z.string(), z.string().min(1)).optional(),
      })
      .strict()
      .optional(),
  })
  .strict()

/** The reference SP's settings for this scenario. */
const spSetupSchema = z
  .object({
    sessionInactivity: durationSchema.optional(),
    clockSkew: durationSchema.optional(),
    allowUnsolicited: z.boolean().optional(),
    wantAssertionsSigned: z.boolean().optional(),
    wantResponseSigned: z.boolean().optional(),
    signAuthnRequests: z.boolean().optional(),
    /** Refuse assertions that arrive unencrypted. */
    wantAssertionsEncrypted: z.boolean().optional(),
    /**
     * Under `oidc`: `mode: oauth2` (no ID token, the user from userinfo) with the names the IdP
     * uses for parameters and claims (registered at both ends), the client authentication,
     * `discovery: false`, and endpoints given explicitly (`{idp}` is the IdP's base URL) — an
     * explicit URL is used even when discovery names another. `clientSecret` replaces the one
     * the IdP registered (a wrong secret).
     */
    oidc: z
      .object({
        mode: z.enum(['oidc', 'oauth2']).optional(),
        parameterNames: z.partialRecord(z.enum(renamableParameters), z.string().min(1)).optional(),
        claimNames: z.record(z.string(), z.string().min(1)).optional(),
        clientAuthentication: z.enum(['client_secret_basic', 'client_secret_post']).optional(),
        clientSecret: z.string().min(1).optional(),
        discovery: z.boolean().optional(),
        authorizationUrl: z.string().min(1).optional(),
        tokenUrl: z.string().min(1).optional(),
        userinfoUrl: z.string().min(1).optional(),
      })
      .strict()
      .optional(),
    /**
     * Under `jwt`: the algorithm the IdP signs with and the SP accepts (`RS256` default,
     * `ES256`, `HS256` with a fresh shared secret) and, for RS256, whether the SP reads the key
     * from the IdP's certificate (default) or its JWKS URL.
     */
    jwt: z
      .object({
        algorithm: z.enum(['RS256', 'ES256', 'HS256']).optional(),
        key: z.enum(['certificate', 'jwks']).optional(),
        /** The IdP's names for the user's claims (`{ id: member_id }`), registered at both ends. */
        claimNames: z.record(z.string(), z.string().min(1)).optional(),
      })
      .strict()
      .optional(),
  })
  .strict()

/**
 * Agent SSO at the SP (sp/agents/settings.ts): the sites and the provisioned agents. A site's
 * IdP login page, certificate and issuer are the built-in IdP's; its protocol defaults to the
 * run's (`jwt` under jwt, else `saml`). Page URLs may use `{sp}` and `{idp}`.
 */
const agentSsoSetupSchema = z
  .object({
    sites: z
      .array(
        agentSiteObject
          .pick({ id: true, name: true, ssoOn: true, scimToken: true, authnContext: true })
          .extend({
            protocol: z.enum(['saml', 'jwt']).optional(),
            logoutUrl: z.string().min(1).optional(),
            loginErrorUrl: z.string().min(1).optional(),
            /**
             * The IdP certificates the site trusts (default: the IdP's): `idp`, the one the
             * built-in IdP signs with, and `other`, one it does not (the SP's); two during a
             * rollover.
             */
            certificates: z
              .array(z.enum(['idp', 'other']))
              .min(1)
              .max(2)
              .optional(),
          })
          .strict(),
      )
      .min(1),
    agents: z.array(agentInputSchema).default([]),
    /** Start the clock this long before the IdP certificate (the sites' certificate) expires. */
    certificateExpiresIn: durationSchema.optional(),
  })
  .strict()

/** Campaigns under /c/<id>/, each in its own protocol (default: the run's). */
const campaignsSchema = z.array(
  campaignSettingsSchema.extend({
    id: campaignSettingsSchema.shape.id.removeDefault(),
    protocol: z.enum(['saml', 'jwt', 'oidc']).optional(),
  }),
)

const setupSchema = z
  .object({
    /** Extra IdP users (added to the built-in alice, bob, carol and dave; same id replaces). */
    users: z.array(userSchema).default([]),
    idp: idpSetupSchema.default({}),
    sp: spSetupSchema.default({}),
    /** Where the virtual clock starts (ISO 8601). */
    startAt: z.iso.datetime({ offset: true }).optional(),
    /**
     * The campaign at the SP's root: sign-in option, pre-chat survey, login window, data
     * mapping, routing, accounts (sp/campaigns/settings.ts documents each setting).
     */
    campaign: campaignSettingsSchema.optional(),
    /**
     * More campaigns under /c/<id>/, each registered at the IdP in its own protocol (default:
     * the run's): e.g. `[{ id: shop, protocol: jwt }, { id: help, protocol: oidc }]`.
     */
    campaigns: campaignsSchema.optional(),
    agentSso: agentSsoSetupSchema.optional(),
    /**
     * A second reference SP of the same IdP, at an origin of its own (single sign-off across two
     * SPs): its root campaign's protocol (`saml` default) and settings, and its own campaigns.
     */
    otherSp: z
      .object({
        protocol: z.enum(['saml', 'jwt', 'oidc']).default('saml'),
        campaign: campaignSettingsSchema.optional(),
        campaigns: campaignsSchema.optional(),
      })
      .strict()
      .optional(),
  })
  .strict()
  .refine(
    (setup) =>
      [setup.startAt, setup.agentSso?.certificateExpiresIn, setup.idp.certificateExpiresIn].filter(
        (value) => value !== undefined,
      ).length <= 1,
    {
      message: 'give one of startAt, idp.certificateExpiresIn and agentSso.certificateExpiresIn',
      path: ['startAt'],
    },
  )

/** A step as written, before its argument is parsed (kept loose; `parseStep` checks it). */
const rawStepSchema = z.union([
  z.enum(stepKinds as [StepKind, ...StepKind[]]),
  z.record(z.string(), z.unknown()),
])

export const scenarioSchema = z
  .object({
    id: z
      .string()
      .regex(idPattern, 'lowercase letters, digits and dashes, e.g. sign-in-return-url'),
    title: z.string().min(1),
    description: z.string().optional(),
    tags: z.array(z.string().regex(idPattern)).default([]),
    /**
     * Rule ids from scenarios/rules.yaml that this scenario proves: a list (each proved
     * positively), or `{ positive: [...], negative: [...] }`. Positive: the rule's behaviour
     * happens where it applies (a same-origin return_url is followed); negative: what the rule
     * forbids is refused (an off-origin return_url is not). A rule counts as covered only with
     * both.
     */
    rules: z
      .union([
        z.array(z.string()),
        z
          .object({
            positive: z.array(z.string()).default([]),
            negative: z.array(z.string()).default([]),
          })
          .strict(),
      ])
      .default([]),
    /**
     * Cases of the security catalogue (../shared/docs/security-catalogue.md, numbered 1–38) that
     * this scenario exercises.
     */
    catalogue: z.array(z.number().int().min(1).max(catalogueCases.length)).default([]),
    /** The scenario runs once per protocol listed. */
    protocols: z.array(z.enum(protocolNames)).min(1).default(['saml-post']),
    /** Drivers this scenario may run with (default both). */
    drivers: z
      .array(z.enum(['http', 'browser']))
      .min(1)
      .default(['http', 'browser']),
    setup: setupSchema.default({ users: [], idp: {}, sp: {} }),
    steps: z.array(rawStepSchema).min(1),
  })
  .strict()

export type ScenarioInput = z.input<typeof scenarioSchema>
export type ScenarioSetup = z.output<typeof setupSchema>

/**
 * A parsed scenario with its file and the line of each step. `rules` lists every rule it
 * proves; `negativeRules` those of them it proves negatively (the forbidden path is refused).
 */
export interface Scenario extends Omit<z.output<typeof scenarioSchema>, 'steps' | 'rules'> {
  file: string
  line: number
  steps: Step[]
  rules: string[]
  negativeRules: string[]
}

/** The `rules:` of a scenario file as every rule it proves and those it proves negatively. */
export function ruleRoles(rules: z.output<typeof scenarioSchema>['rules']): {
  rules: string[]
  negativeRules: string[]
} {
  if (Array.isArray(rules)) return { rules, negativeRules: [] }
  return { rules: [...rules.positive, ...rules.negative], negativeRules: rules.negative }
}

/** The JSON Schema of a scenario file: one scenario or a list of them, with typed steps. */
export function scenarioFileJsonSchema(): Record<string, unknown> {
  const typedStep = z.union([
    z.enum(
      stepKinds.filter((kind) => {
        const schema: z.ZodType = stepRegistry[kind].schema
        return schema.safeParse(undefined).success
      }) as [string, ...string[]],
    ),
    ...stepKinds.map((kind) =>
      z.object({ [kind]: stepRegistry[kind].schema as z.ZodType }).strict(),
    ),
  ])
  const scenario = scenarioSchema.extend({ steps: z.array(typedStep).min(1) })
  const file = z.union([scenario, z.array(scenario).min(1)])
  return {
    ...z.toJSONSchema(file, { io: 'input', unrepresentable: 'any' }),
    $id: 'https://ssoproof.dev/schemas/scenario.schema.json',
    title: 'ssoproof scenario file',
  }
}
