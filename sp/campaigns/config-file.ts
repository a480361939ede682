import { readFile } from 'node:fs/promises'
import { dirname, resolve } from 'node:path'
import { type Document, isNode, LineCounter, type Node, parseDocument } from 'yaml'
import * as z from 'zod'
import { parseDuration } from '../../core/clock/index.ts'
import { SsoError } from '../../core/errors/index.ts'
import { agentSsoFileSchema } from '../agents/settings.ts'
import type { SpOptions } from '../options.ts'
import { campaignSettingsSchema } from './settings.ts'

/** Where the published JSON Schema of the campaigns file lives (from the repository root). */
export const campaignsSchemaFile = 'sp/campaigns/campaigns.schema.json'

const duration = z
  .string({ error: 'expected a duration such as 48h, 90m or 2d' })
  .transform((text, ctx) => {
    try {
      return parseDuration(text)
    } catch {
      ctx.addIssue({
        code: 'custom',
        message: `expected a duration such as 48h, 90m or 2d, got "${text}"`,
      })
      return z.NEVER
    }
  })
  .meta({ description: 'a duration: a number and a unit (ms, s, m, h, d), e.g. 48h or 1h30m' })

/** What a campaign of the file may set of its connection besides the visitor rules. */
const connectionSettings = {
  /** An SP session ends after this much inactivity (default 48h, as inSided). */
  sessionInactivity: duration
    .refine((ms) => ms > 0, { message: 'must be longer than 0' })
    .optional(),
  /** Allowed clock difference for NotBefore / NotOnOrAfter and token times (default 60s). */
  clockSkew: duration.optional(),
  /**
   * SAML: the campaign's own IdP instead of the built-in one, by its metadata — an http(s) URL,
   * or a file (relative to this campaigns file) — read when `serve` starts. `serve` prints the
   * campaign's SP metadata to register there.
   */
  idpMetadata: z.string().min(1).optional(),
}

const listOfCampaigns = "expected a list of campaigns, the first one the campaign at the SP's root"

/** The first campaign: the one at the SP's root, in the protocol `serve` wires (SAML). */
const rootCampaignSchema = z
  .object(campaignSettingsSchema.extend(connectionSettings).shape, {
    error: (issue) => (issue.input === undefined ? listOfCampaigns : undefined),
  })
  .strict()

/** A further campaign, under /c/<id>/, in its own protocol. */
const extraCampaignSchema = campaignSettingsSchema
  .extend({
    id: campaignSettingsSchema.shape.id.removeDefault(),
    /** How this campaign signs visitors in at the IdP (default: the root campaign's). */
    protocol: z.enum(['saml', 'jwt', 'oidc']).optional(),
    ...connectionSettings,
  })
  .superRefine((campaign, ctx) => {
    if (campaign.idpMetadata !== undefined && (campaign.protocol ?? 'saml') !== 'saml') {
      ctx.addIssue({
        code: 'custom',
        path: ['idpMetadata'],
        message: `idpMetadata names a SAML IdP; this campaign signs in with ${campaign.protocol}`,
      })
    }
  })

/**
 * The campaigns file of `ssoproof serve --config`: the campaign at the SP's root first, then
 * any further ones, each reached under /c/<id>/; and, optionally, agent SSO's sites and agents
 * (sp/agents/settings.ts; a site's IdP URLs and certificate default to the built-in IdP's).
 */
export const campaignsFileSchema = z
  .object({
    campaigns: z
      .tuple([rootCampaignSchema], extraCampaignSchema, { error: listOfCampaigns })
      .superRefine((campaigns, ctx) => {
        const seen = new Set<string>()
        for (const [index, campaign] of campaigns.entries()) {
          if (seen.has(campaign.id)) {
            ctx.addIssue({
              code: 'custom',
              path: [index, 'id'],
              message: `campaign "${campaign.id}" is defined twice`,
            })
          }
          seen.add(campaign.id)
        }
      }),
    agentSso: agentSsoFileSchema.optional(),
  })
  .strict()

/**
 * What the campaigns file gives `createSp` (the connection to the IdP comes from `serve`), and
 * where the campaigns with an IdP of their own find its metadata: campaign id → URL or absolute
 * path (the root campaign's id included), read by `serve` before it starts the SP.
 */
export type SpCampaignOptions = Pick<
  SpOptions,
  'campaign' | 'campaigns' | 'sessionInactivityMs' | 'clockSkewMs' | 'agentSso'
> & { idpMetadata?: Record<string, string> }

/**
 * Reads and validates a campaigns file (YAML). Errors are CONFIG_INVALID and name the file, the
 * line and column, and the dotted path of the bad setting, e.g.
 * `campaigns.yaml:12:15 campaigns.1.protocol: Invalid option: expected one of "saml"|"jwt"|"oidc"`.
 */
export async function loadSpConfigFile(path: string): Promise<SpCampaignOptions> {
  let text: string
  try {
    text = await readFile(path, 'utf8')
  } catch (error) {
    throw new SsoError('CONFIG_INVALID', path, `cannot read campaigns file ${path}`, {
      source: path,
      cause: (error as NodeJS.ErrnoException).code ?? 'unknown',
    })
  }
  const lineCounter = new LineCounter()
  const document = parseDocument(text, { lineCounter, prettyErrors: false, uniqueKeys: true })
  const at = (offset: number) => {
    const { line, col } = lineCounter.linePos(offset)
    return `${path}:${line}:${col}`
  }
  const yamlError = document.errors[0]
  if (yamlError) {
    const detail = yamlError.message.split('\n')[0] ?? 'invalid YAML'
    throw invalid(path, [`${at(yamlError.pos[0])} ${detail}`])
  }
  const result = campaignsFileSchema.safeParse(document.toJS())
  if (!result.success) {
    throw invalid(
      path,
      result.error.issues.map((issue) => {
        const where =
          issue.code === 'unrecognized_keys' ? [...issue.path, ...issue.keys] : issue.path
        const node = nearestNode(document, where as (string | number)[])
        return `${at(node?.range?.[0] ?? 0)} ${issue.path.map(String).join('.') || '(root)'}: ${issue.message}`
      }),
    )
  }
  const [root, ...extra] = result.data.campaigns
  const { sessionInactivity, clockSkew, idpMetadata: _rootIdp, ...campaign } = root
  const { agentSso } = result.data
  // A metadata file is named relative to the campaigns file; URLs stay as they are.
  const where = (value: string) =>
    /^https?:\/\//i.test(value) ? value : resolve(dirname(path), value)
  const idpMetadata = Object.fromEntries(
    result.data.campaigns.flatMap((entry) =>
      entry.idpMetadata === undefined ? [] : [[entry.id, where(entry.idpMetadata)]],
    ),
  )
  return {
    campaign,
    ...(agentSso !== undefined ? { agentSso } : {}),
    ...(Object.keys(idpMetadata).length > 0 ? { idpMetadata } : {}),
    campaigns: extra.map(({ sessionInactivity, clockSkew, idpMetadata: _idp, ...settings }) => ({
      ...settings,
      ...(sessionInactivity !== undefined ? { sessionInactivityMs: sessionInactivity } : {}),
      ...(clockSkew !== undefined ? { clockSkewMs: clockSkew } : {}),
    })),
    ...(sessionInactivity !== undefined ? { sessionInactivityMs: sessionInactivity } : {}),
    ...(clockSkew !== undefined ? { clockSkewMs: clockSkew } : {}),
  }
}

function invalid(path: string, issues: string[]): SsoError {
  return new SsoError('CONFIG_INVALID', path, issues[0] ?? `${path} is invalid`, {
    source: path,
    issues,
  })
}

/** The YAML node at `path`, or the deepest one that exists on the way (for a missing key). */
function nearestNode(document: Document, path: (string | number)[]): Node | undefined {
  for (let length = path.length; length > 0; length--) {
    const node = document.getIn(path.slice(0, length), true)
    if (isNode(node)) return node
  }
  return isNode(document.contents) ? document.contents : undefined
}

/** The JSON Schema of the campaigns file, for editors (published by `npm run schemas`). */
export function campaignsFileJsonSchema(): Record<string, unknown> {
  return {
    ...z.toJSONSchema(campaignsFileSchema, { io: 'input', unrepresentable: 'any' }),
    $id: 'https://ssoproof.dev/schemas/campaigns.schema.json',
    title: 'ssoproof campaigns file (ssoproof serve --config)',
  }
}
