import { z } from 'zod'
import { parseDuration } from '../../core/clock/index.ts'
import { faultSchema } from '../../idp/faults/schema.ts'
import { userSchema } from '../../idp/users/user.ts'
import { agentInputSchema, agentSiteObject } from '../../sp/agents/settings.ts'
import { campaignSettingsSchema } from '../../sp/campaigns/settings.ts'
import { catalogueCases } from './catalogue-cases.ts'

/**
 * The scenario file format. A file holds one scenario (a mapping) or several (a list). Setup
 * keys are camelCase like every other ssoproof config file; steps and expectations are written
 * in the visitor's words, as lowercase phrases (`log in`, `advance time`, `signed in as`).
 * `scenarios/scenario.schema.json` is generated from this file (`npm run scenario-schema`).
 */

/**
 * The protocols a scenario can run under: SAML with the IdP answering over HTTP-POST or
 * HTTP-Artifact, JWT token SSO (RS256, key from the IdP's certificate) and OpenID Connect
 * (authorization code with PKCE, discovery).
 */
export const protocolNames = ['saml-post', 'saml-artifact', 'jwt', 'oidc'] as const
export type ProtocolName = (typeof protocolNames)[number]

export const durationSchema = z
  .string()
  .regex(/^(?:\d+(?:ms|s|m|h|d))+$/, 'a duration such as 90s, 5m, 48h or 47h59m')
  .transform((text) => parseDuration(text))

const sameOriginPath = z
  .string()
  .regex(/^\/(?!\/)/, 'a path on the SP starting with a single "/", e.g. /account?tab=2')

const idPattern = /^[a-z0-9][a-z0-9-]*$/

/** How the fake IdP treats the reference SP in this scenario. */
const idpSetupSchema = z
  .object({
    signResponse: z.boolean().optional(),
    signAssertion: z.boolean().optional(),
    nameIdFormat: z.enum(['unspecified', 'emailAddress', 'persistent', 'transient']).optional(),
    assertionLifetime: durationSchema.optional(),
    allowIdpInitiated: z.boolean().optional(),
    /** Encrypt the Assertion to the SP's encryption certificate. */
    encryptAssertion: z.boolean().optional(),
    encryptionAlgorithm: z.enum(['aes256-gcm', 'aes128-cbc']).optional(),
    /**
     * Faults the IdP injects into what it sends (idp/faults/README.md lists every kind): e.g.
     * `{ kind: saml-xsw, variant: 3 }`, `{ kind: jwt-alg-none, remaining: 1 }`.
     */
    faults: z.array(faultSchema).optional(),
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
          .pick({ id: true, name: true, ssoOn: true })
          .extend({
            protocol: z.enum(['saml', 'jwt']).optional(),
            logoutUrl: z.string().min(1).optional(),
            loginErrorUrl: z.string().min(1).optional(),
          })
          .strict(),
      )
      .min(1),
    agents: z.array(agentInputSchema).default([]),
    /** Start the clock this long before the IdP certificate (the sites' certificate) expires. */
    certificateExpiresIn: durationSchema.optional(),
  })
  .strict()

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
    agentSso: agentSsoSetupSchema.optional(),
  })
  .strict()
  .refine(
    (setup) => setup.startAt === undefined || setup.agentSso?.certificateExpiresIn === undefined,
    {
      message: 'give startAt or agentSso.certificateExpiresIn, not both',
      path: ['startAt'],
    },
  )

const loginSchema = z.union([
  z.string().min(1),
  z.object({ user: z.string().min(1), password: z.string().optional() }).strict(),
])

/**
 * What the IdP received from the SP, read from the protocol trace. In URLs, `{sp}` and `{idp}`
 * stand for the SP's and the IdP's base URL (they differ between drivers).
 */
const idpReceivedSchema = z
  .object({
    /**
     * How many sign-in requests reached the IdP during the scenario: SAML AuthnRequests, JWT
     * remote-login requests or OIDC authorization requests.
     */
    authnRequests: z.number().int().nonnegative().optional(),
    /** How many ArtifactResolve requests reached the IdP's resolution service. */
    artifactResolves: z.number().int().nonnegative().optional(),
    /** Properties of the last AuthnRequest. */
    'acs url': z.string().optional(),
    signed: z.boolean().optional(),
    'force authn': z.boolean().optional(),
    issuer: z.string().optional(),
    /** OIDC: the last authorization request's PKCE method (`S256`, `plain`, or `none`). */
    pkce: z.string().optional(),
  })
  .strict()

export const expectationSchema = z
  .object({
    /** The SP has (true) or has not (false) a session for this browser. */
    'signed in': z.boolean().optional(),
    /** The SP session's external ID (NameID). Implies signed in. */
    'signed in as': z.string().optional(),
    /** Values the SP received for the signed-in visitor, by attribute name. */
    attributes: z.record(z.string(), z.union([z.string(), z.array(z.string())])).optional(),
    /** The page shows this stable error code, or `none`. */
    error: z.string().optional(),
    /** The browser is on this SP path (path and query). */
    at: sameOriginPath.optional(),
    /** The IdP shows its login form (true) or not (false). */
    'login form': z.boolean().optional(),
    /** The IdP's login form shows an error (e.g. wrong password). */
    'login error': z.boolean().optional(),
    /** The page's text contains this. */
    text: z.string().optional(),
    /** The HTTP status of the current page. */
    status: z.number().int().optional(),
    'idp received': idpReceivedSchema.optional(),
    /** The chat window's state: choose, sign-in-required, survey or conversation. */
    messenger: z.enum(['choose', 'sign-in-required', 'survey', 'conversation']).optional(),
    /**
     * The signed-in visitor's contact at the SP, by mapped field (`name`, `email`, …,
     * `custom:<name>`, `variable:<name>`); `''` expects the field empty.
     */
    contact: z.record(z.string(), z.string()).optional(),
    /** The team the visitor's latest conversation is routed to. */
    team: z.string().optional(),
    /** How the agent console shows the visitor's latest conversation. */
    conversation: z
      .object({
        /** The verified badge of a signed-in visitor. */
        verified: z.boolean().optional(),
        /** The external ID next to the visitor's name; `none` for a guest. */
        'external id': z.string().optional(),
        /** How many messages it holds, all authors. */
        messages: z.number().int().nonnegative().optional(),
      })
      .strict()
      .optional(),
    /** The agent's history search by external ID finds this many transcripts. */
    transcripts: z
      .object({ 'external id': z.string().min(1), count: z.number().int().nonnegative() })
      .strict()
      .optional(),
    /** Mapped attributes the IdP did not send, as the SP's diagnostics list them. */
    'missing attributes': z.array(z.string()).optional(),
    /** How many contacts (accounts) the SP holds: 0 proves a refused sign-in stored nothing. */
    contacts: z.number().int().nonnegative().optional(),
    /** The agent session of this browser: signed in (true) or not (false). */
    'agent signed in': z.boolean().optional(),
    /** The login name of this browser's agent session. Implies signed in. */
    'agent signed in as': z.string().optional(),
    /** The page asks for the site ID (agent SSO's first sign-in on a browser). */
    'site prompt': z.boolean().optional(),
    /** The SP admin view warns that an agent site's IdP certificate expires within 30 days. */
    'certificate warning': z.boolean().optional(),
    /** How many agents the SP holds: unchanged proves a sign-in created none. */
    agents: z.number().int().nonnegative().optional(),
  })
  .strict()
  .refine((value) => Object.keys(value).length > 0, 'an expectation needs at least one check')

export type Expectation = z.output<typeof expectationSchema>

/**
 * Every step keyword and the shape of its argument. A step is a one-key mapping
 * (`advance time: 48h`) or, for steps without an argument, the bare keyword (`log out`).
 */
export const stepArguments = {
  /** The visitor opens an SP page. */
  open: sameOriginPath.default('/'),
  /** The visitor clicks "Sign in" at the SP (SP-initiated); optional return_url. */
  'sign in': z.object({ return_url: z.string().optional() }).strict().default({}),
  /** At the IdP's login form: sign in as a user (with their password, or the one given). */
  'log in': loginSchema,
  /** At the IdP's login form: press Cancel. */
  'cancel login': z.null().default(null),
  /** The visitor starts at the IdP (IdP-initiated SSO), optionally with a RelayState. */
  'idp-initiated sign in': z.object({ RelayState: z.string().optional() }).strict().default({}),
  /** Move the shared virtual clock. */
  'advance time': durationSchema,
  /** The visitor presses "Sign out" at the SP. */
  'log out': z.null().default(null),
  /** The visitor signs out at the IdP's own page (IdP-initiated single logout). */
  'log out at the idp': z.null().default(null),
  /**
   * Deliver the last SAML response or artifact the browser brought to the ACS (or the last JWT
   * or OIDC callback) again: a replay.
   */
  'replay last response': z.null().default(null),
  /** Change (or add) a user at the IdP, e.g. a new email before the next sign-on. */
  'update idp user': userSchema,
  /** Restart the SP process (a new SP instance over the same data). */
  'restart sp': z.null().default(null),
  /** The visitor opens the messenger's chat window (the campaign at the SP's root). */
  'open messenger': z.null().default(null),
  /** In the chat window: "Sign in" (also the prompt after an agent's sign-in request). */
  'choose sign in': z.null().default(null),
  /** In the chat window: "Chat as visitor". */
  'chat as visitor': z.null().default(null),
  /** Fill in and send the pre-chat survey, by field name. */
  'fill survey': z.record(z.string(), z.string()).default({}),
  /** The visitor sends a chat message. */
  'send message': z.string().min(1),
  /** The visitor ends the conversation from the chat window. */
  'end conversation': z.null().default(null),
  /** The visitor signs out from the chat window. */
  'log out from the messenger': z.null().default(null),
  /** At the SP's first-sign-on question, choose this username. */
  'choose username': z.string(),
  /** The agent answers in the visitor's latest conversation. */
  'agent replies': z.string().min(1),
  /** The agent sends the guest an SSO sign-in request. */
  'agent sends sign-in request': z.null().default(null),
  /** The agent ends the visitor's latest conversation (its transcript is saved). */
  'agent ends conversation': z.null().default(null),
  /** Agent SSO: this browser opens the agent login (`/agent/login`, with `?site=` when given). */
  'agent signs in': z
    .object({ site: z.string().min(1).optional() })
    .strict()
    .default({}),
  /** Agent SSO: answer the site ID question. */
  'agent enters site id': z.string().min(1),
  /** Agent SSO: the site's password form, filled in and sent. */
  'agent logs in with password': z
    .object({ site: z.string().min(1), 'login name': z.string().min(1), password: z.string() })
    .strict(),
  /** Agent SSO: "Sign out" in the agent console. */
  'agent logs out': z.null().default(null),
  /** Agent SSO: an administrator resets an agent's password through the SP admin API. */
  'admin resets agent password': z
    .object({ site: z.string().min(1), 'login name': z.string().min(1), password: z.string() })
    .strict(),
  /** Check the state; each key is one check. */
  expect: expectationSchema,
} as const

export type StepKind = keyof typeof stepArguments
export const stepKinds = Object.keys(stepArguments) as StepKind[]

export type Step = {
  [K in StepKind]: { kind: K; arg: z.output<(typeof stepArguments)[K]>; line?: number }
}[StepKind]

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
    /** Rule ids from scenarios/rules.yaml that this scenario proves. */
    rules: z.array(z.string()).default([]),
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

/** A parsed scenario with its file and the line of each step. */
export interface Scenario extends Omit<z.output<typeof scenarioSchema>, 'steps'> {
  file: string
  line: number
  steps: Step[]
}

/** The JSON Schema of a scenario file: one scenario or a list of them, with typed steps. */
export function scenarioFileJsonSchema(): Record<string, unknown> {
  const typedStep = z.union([
    z.enum(
      stepKinds.filter((kind) => {
        const schema = stepArguments[kind] as z.ZodType
        return schema.safeParse(undefined).success
      }) as [string, ...string[]],
    ),
    ...stepKinds.map((kind) => z.object({ [kind]: stepArguments[kind] as z.ZodType }).strict()),
  ])
  const scenario = scenarioSchema.extend({ steps: z.array(typedStep).min(1) })
  const file = z.union([scenario, z.array(scenario).min(1)])
  return {
    ...z.toJSONSchema(file, { io: 'input', unrepresentable: 'any' }),
    $id: 'https://ssoproof.dev/schemas/scenario.schema.json',
    title: 'ssoproof scenario file',
  }
}
