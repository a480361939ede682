import * as z from 'zod'
import { requestedContextSchema } from '../../core/authn-context/requested-context.ts'

/**
 * A campaign, as Comm100 names it: one chat entry point with its own sign-in option, pre-chat
 * survey, data mapping and routing. The protocol it signs visitors in with is the connection's
 * (sp/options.ts); these are the visitor-facing rules on top.
 */

/** Contact fields the agent sees, as the seeds name them (Comm100 data mapping). */
export const systemFields = ['name', 'email', 'phone', 'company', 'department', 'product'] as const
export type SystemField = (typeof systemFields)[number]

/** Account fields synced on every sign-on (inSided user data format). */
export const accountFields = ['username', 'avatar', 'roles'] as const
export type AccountField = (typeof accountFields)[number]

/**
 * Where a mapped attribute lands: a system field, an account field, a custom pre-chat field
 * (`custom:<name>`) or a custom variable (`variable:<name>`).
 */
export type MappingTarget = SystemField | AccountField | `custom:${string}` | `variable:${string}`

/**
 * The account key (inSided's unique user identifier): the attribute mapped to `id` identifies
 * the account when the NameID is transient, new at every sign-in (saml-core §8.3.8).
 */
export const idField = 'id'

const fieldKey = z.string().regex(/^[A-Za-z][A-Za-z0-9_.-]{0,63}$/, {
  message: 'use letters, digits, _ . - (starting with a letter), at most 64',
})

export const mappingTargetSchema = z.union(
  [
    z.enum([...systemFields, ...accountFields]),
    z.templateLiteral(['custom:', fieldKey]),
    z.templateLiteral(['variable:', fieldKey]),
  ],
  {
    error: `expected one of ${[...systemFields, ...accountFields].join(', ')}, custom:<name> or variable:<name>`,
  },
) as z.ZodType<MappingTarget>

const mappingSchema = z
  .object({
    /** The IdP attribute (SAML) or claim (JWT, OIDC) name. */
    attribute: z.string().min(1),
    field: z.union([z.literal(idField), mappingTargetSchema], {
      error: `expected one of ${[idField, ...systemFields, ...accountFields].join(', ')}, custom:<name> or variable:<name>`,
    }),
    /** Sign-in fails (SP_REQUIRED_ATTRIBUTE_MISSING) when the IdP does not send it. */
    required: z.boolean().default(false),
  })
  .strict()
export type Mapping = z.output<typeof mappingSchema>

const surveyFieldSchema = z
  .object({
    /** A system field name, or any other name (kept as a custom pre-chat field). */
    name: fieldKey,
    label: z.string().min(1),
    type: z.enum(['text', 'email', 'tel', 'textarea']).default('text'),
    required: z.boolean().default(false),
  })
  .strict()
export type SurveyField = z.output<typeof surveyFieldSchema>

const routingRuleSchema = z
  .object({
    team: z.string().min(1),
    /** A mapped field: `name`, `email`, …, `custom:<name>`, `variable:<name>`. */
    field: mappingTargetSchema,
    equals: z.string().optional(),
    in: z.array(z.string()).min(1).optional(),
    exists: z.boolean().optional(),
  })
  .strict()
  .refine(
    (rule) =>
      [rule.equals, rule.in, rule.exists].filter((condition) => condition !== undefined).length ===
      1,
    { message: 'give exactly one of equals, in, exists' },
  )
export type RoutingRule = z.output<typeof routingRuleSchema>

export const defaultMappings: Mapping[] = [
  { attribute: 'id', field: 'id', required: false },
  { attribute: 'name', field: 'name', required: false },
  { attribute: 'email', field: 'email', required: false },
  { attribute: 'phone', field: 'phone', required: false },
  { attribute: 'company', field: 'company', required: false },
  { attribute: 'department', field: 'department', required: false },
  { attribute: 'productService', field: 'product', required: false },
  { attribute: 'username', field: 'username', required: false },
  { attribute: 'avatar', field: 'avatar', required: false },
  { attribute: 'customRoles', field: 'roles', required: false },
  { attribute: 'customerNumber', field: 'variable:customerNumber', required: false },
  { attribute: 'membershipLevel', field: 'variable:membershipLevel', required: false },
]

export const defaultSurvey: SurveyField[] = [
  { name: 'name', label: 'Your name', type: 'text', required: true },
  { name: 'email', label: 'Email', type: 'email', required: false },
]

export const campaignSettingsSchema = z
  .object({
    id: z
      .string()
      .regex(/^[a-z0-9][a-z0-9-]{0,39}$/, {
        message: 'use lowercase letters, digits and -, at most 40',
      })
      .default('default'),
    /** Shown in the chat window's title and the agent console. */
    name: z.string().min(1).default('Support'),
    /**
     * `none`: chat at once (after the survey); `optional`: "Sign in" or "Chat as visitor";
     * `required`: no conversation without sign-in.
     */
    signIn: z.enum(['none', 'optional', 'required']).default('optional'),
    /**
     * Opening the chat window first tries a passive sign-in (SAML IsPassive, OIDC and JWT
     * prompt=none): a visitor signed in at the IdP is connected with no click.
     */
    silentSignIn: z.boolean().default(true),
    /**
     * The authentication context sign-ins must state (e.g. MFA, for OCC-regulated sites): sent
     * as SAML RequestedAuthnContext, OIDC `acr_values` + essential `acr`, JWT `acr_values`, and
     * checked in what comes back (SP_AUTHN_CONTEXT_INSUFFICIENT). Absent: none required.
     */
    authnContext: requestedContextSchema.optional(),
    /** Where the IdP's login page opens: in the chat window itself, or a popup window. */
    loginWindow: z.enum(['chat-window', 'popup']).default('chat-window'),
    /** Pre-chat survey for guests; empty: none. Signed-in visitors skip it. */
    survey: z.array(surveyFieldSchema).default(defaultSurvey),
    mappings: z.array(mappingSchema).default(defaultMappings),
    routing: z
      .object({
        rules: z.array(routingRuleSchema).default([]),
        defaultTeam: z.string().min(1).default('General'),
      })
      .strict()
      .default({ rules: [], defaultTeam: 'General' }),
    accounts: z
      .object({
        /** inSided: when the IdP sends no username, ask the visitor once, at the first sign-on. */
        requireUsername: z.boolean().default(false),
        /** inSided: when the IdP sends no email, ask the visitor once, like the username. */
        requireEmail: z.boolean().default(false),
        /**
         * Opt-in: a first sign-on whose verified email (OIDC `email_verified`; SAML and JWT
         * emails count as verified unless an `email_verified` attribute says `false`, as inSided
         * trusts its IdP) is that of an account made before SSO takes that account over instead
         * of failing with SP_ACCOUNT_EMAIL_CONFLICT.
         */
        linkByEmail: z.boolean().default(false),
        /**
         * The issuer this campaign's accounts are keyed under, with the external ID. Unset: the
         * issuer of the sign-in (SAML Issuer, JWT and OIDC `iss`), so two IdPs never share an
         * account. One IdP that signs in under two names (its SAML entity ID, its OIDC issuer)
         * keeps one account per person when its campaigns name the same value here.
         */
        issuer: z.string().min(1).optional(),
      })
      .strict()
      .default({ requireUsername: false, requireEmail: false, linkByEmail: false }),
  })
  .strict()

export type CampaignSettingsInput = z.input<typeof campaignSettingsSchema>
export type CampaignSettings = z.output<typeof campaignSettingsSchema>
