import * as z from 'zod'
import { requestedContextSchema } from '../../core/authn-context/requested-context.ts'
import { lookAlikeReason } from '../accounts/exact-identifier.ts'

const httpUrl = z.url({ protocol: /^https?$/ })

/** A site ID: the account number LivePerson and Comm100 give a tenant. */
const siteIdSchema = z
  .string()
  .regex(/^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/, 'letters, digits, . _ - (at most 64), e.g. 90233546')

/**
 * A login name, compared exactly and case-sensitively: kept as written, so no white space at its
 * ends and no invisible character (the rule of every account key, accounts/exact-identifier.ts).
 */
const loginNameSchema = z
  .string()
  .min(1)
  .max(256)
  .refine((name) => lookAlikeReason(name) === undefined, {
    message: 'no white space at its start or end, no invisible or control characters',
  })

/**
 * One site's agent SSO settings, as the seeds name them (LivePerson: login page, logout page,
 * redirect page upon login error, the IdP's X.509 certificate; Comm100: SAML or JWT). Without
 * the IdP's URLs and certificate here, `createPair` fills them in from the built-in IdP.
 */
export const agentSiteObject = z
  .object({
    id: siteIdSchema,
    name: z.string().min(1).max(200).optional(),
    /** How the site's agents sign in at the IdP (default saml). */
    protocol: z.enum(['saml', 'jwt']).default('saml'),
    /** The switch: on (default), agents sign in by SSO only; off, by password. */
    ssoOn: z.boolean().default(true),
    /** The IdP login page: the SAML sign-on URL (HTTP-Redirect) or the JWT remote login URL. */
    loginUrl: httpUrl.optional(),
    /** Where an agent goes after logging out (default: the SP's /agent/signed-out). */
    logoutUrl: httpUrl.optional(),
    /** Where a refused SSO sign-in goes, with ?reason=<code> (default: the SP's /agent/login-error). */
    loginErrorUrl: httpUrl.optional(),
    /**
     * The IdP certificate (PEM or base64 DER), signed with SHA-256; verifies assertions and
     * tokens. During a rollover, two: the current one and the next, each accepted (LivePerson:
     * the brand sends the renewed certificate a month before the current one expires).
     */
    certificate: z
      .union([z.string().min(1), z.array(z.string().min(1)).min(1).max(2)], {
        error:
          'a certificate, or at most two certificates: the current one and the next (rollover)',
      })
      .optional(),
    /** SAML: the IdP entity ID (the Issuer). JWT: the expected `iss` (unset: any). */
    issuer: z.string().min(1).optional(),
    /** JWT: the expected `aud` (unset: not checked). */
    audience: z.string().min(1).optional(),
    /**
     * The bearer token of this site's SCIM 2.0 client (an identity provider provisioning
     * agents at /scim/v2/Users); unset: no SCIM for the site. Compared as a digest, never logged.
     */
    scimToken: z.string().min(24).max(512).optional(),
    /**
     * The authentication context agents must sign in with (LivePerson: OCC-regulated brands need
     * MFA), e.g. `{ classRefs: ['https://refeds.org/profile/mfa'] }`: sent as SAML
     * RequestedAuthnContext or JWT `acr_values`, and a sign-in stating less is refused
     * (SP_AUTHN_CONTEXT_INSUFFICIENT).
     */
    authnContext: requestedContextSchema.optional(),
  })
  .strict()

/** With SSO on, the site needs the IdP's login page and certificate, and for SAML its entity ID. */
const agentSiteSchema = agentSiteObject.superRefine((site, ctx) => {
  if (!site.ssoOn) return
  const needed = ['loginUrl', 'certificate', ...(site.protocol === 'saml' ? ['issuer'] : [])]
  for (const key of needed) {
    if (site[key as keyof typeof site] === undefined) {
      ctx.addIssue({
        code: 'custom',
        path: [key],
        message: `a site with SSO on needs ${key}`,
      })
    }
  }
})

/** An agent as provisioned: by configuration here, or by POST /admin/agents. */
export const agentInputSchema = z
  .object({
    siteId: siteIdSchema,
    loginName: loginNameSchema,
    /** The name the console shows. */
    name: z.string().min(1).max(200),
    email: z.email().optional(),
    /** Only used while the site's SSO is off; stored as a scrypt hash, never shown or logged. */
    password: z.string().min(8).max(1024).optional(),
    disabled: z.boolean().default(false),
  })
  .strict()

function agentSsoObject<S extends z.ZodType<z.output<typeof agentSiteObject>>>(site: S) {
  return z
    .object({
      sites: z.array(site).min(1),
      /** Agents created at start when missing; existing ones are left as the admin API made them. */
      agents: z.array(agentInputSchema).default([]),
    })
    .strict()
    .superRefine((settings, ctx) => {
      const sites = new Set<string>()
      for (const [index, { id }] of settings.sites.entries()) {
        if (sites.has(id)) {
          ctx.addIssue({
            code: 'custom',
            path: ['sites', index, 'id'],
            message: `site "${id}" is defined twice`,
          })
        }
        sites.add(id)
      }
      const agents = new Set<string>()
      for (const [index, agent] of settings.agents.entries()) {
        if (!sites.has(agent.siteId)) {
          ctx.addIssue({
            code: 'custom',
            path: ['agents', index, 'siteId'],
            message: `no site "${agent.siteId}" in agentSso.sites`,
          })
        }
        const key = JSON.stringify([agent.siteId, agent.loginName])
        if (agents.has(key)) {
          ctx.addIssue({
            code: 'custom',
            path: ['agents', index, 'loginName'],
            message: `agent "${agent.loginName}" of site "${agent.siteId}" is defined twice`,
          })
        }
        agents.add(key)
      }
    })
}

/** `SpOptions.agentSso`: the sites and the agents provisioned at start. */
export const agentSsoSchema = agentSsoObject(agentSiteSchema)

/** The same in the campaigns file of `serve`, where the built-in IdP's URLs and certificate may be left out. */
export const agentSsoFileSchema = agentSsoObject(agentSiteObject)

export type AgentSsoSettings = z.input<typeof agentSsoSchema>
export type AgentSiteSettings = z.output<typeof agentSiteObject>
