import * as z from 'zod'
import { isoInstant } from '../../../core/clock/index.ts'
import type { Agent } from '../agent-store.ts'
import { agentInputSchema } from '../settings.ts'
import { ScimError } from './scim-error.ts'

/** RFC 7643 §4.1: the core User schema; RFC 7644 §3.4.2 and §3.5.2: list and patch messages. */
export const scimSchemas = {
  user: 'urn:ietf:params:scim:schemas:core:2.0:User',
  listResponse: 'urn:ietf:params:scim:api:messages:2.0:ListResponse',
  patchOp: 'urn:ietf:params:scim:api:messages:2.0:PatchOp',
} as const

/**
 * An agent as a SCIM User: `userName` is the login name (exact, as the agent SSO compares it),
 * `id` the SP's own stable id, `active` the opposite of disabled. The password never travels.
 */
export function toScimUser(agent: Agent, location: string) {
  return {
    schemas: [scimSchemas.user],
    id: String(agent.id),
    userName: agent.loginName,
    displayName: agent.name,
    name: { formatted: agent.name },
    ...(agent.email !== undefined ? { emails: [{ value: agent.email, primary: true }] } : {}),
    active: !agent.disabled,
    meta: {
      resourceType: 'User',
      created: isoInstant(agent.createdAt),
      lastModified: isoInstant(agent.updatedAt),
      location,
    },
  }
}

/** What a POST or PUT body may say (RFC 7643 §4.1); unknown attributes are ignored, as §3.3 allows. */
const userBodySchema = z.object({
  schemas: z.array(z.string()).refine((list) => list.includes(scimSchemas.user), {
    message: `schemas must include ${scimSchemas.user}`,
  }),
  userName: agentInputSchema.shape.loginName,
  displayName: z.string().min(1).max(200).optional(),
  name: z.object({ formatted: z.string().min(1).max(200).optional() }).optional(),
  emails: z.array(z.object({ value: z.email(), primary: z.boolean().optional() })).optional(),
  active: z.boolean().default(true),
})

export interface ScimUserInput {
  loginName: string
  name: string
  email: string | undefined
  active: boolean
}

export function readScimUser(body: unknown): ScimUserInput {
  const parsed = userBodySchema.safeParse(body)
  if (!parsed.success) {
    const issue = parsed.error.issues[0]
    throw new ScimError(
      400,
      `${issue?.path.join('.') || 'body'}: ${issue?.message ?? 'not a SCIM User'}`,
      'invalidValue',
    )
  }
  const user = parsed.data
  const email = (user.emails?.find((each) => each.primary) ?? user.emails?.[0])?.value
  return {
    loginName: user.userName,
    name: user.displayName ?? user.name?.formatted ?? user.userName,
    email,
    active: user.active,
  }
}

const patchSchema = z.object({
  schemas: z.array(z.string()).refine((list) => list.includes(scimSchemas.patchOp), {
    message: `schemas must include ${scimSchemas.patchOp}`,
  }),
  Operations: z
    .array(
      z.object({
        op: z.string().transform((op) => op.toLowerCase()),
        path: z.string().optional(),
        value: z.unknown(),
      }),
    )
    .min(1),
})

/**
 * RFC 7644 §3.5.2: the PATCH operations this SP supports — `replace` of `active` (what identity
 * providers send to suspend and restore a user), as `path: active` or as `value: { active }`.
 * Anything else is refused (noTarget / invalidPath), never half applied.
 */
export function readActivePatch(body: unknown): boolean {
  const parsed = patchSchema.safeParse(body)
  if (!parsed.success) {
    throw new ScimError(400, parsed.error.issues[0]?.message ?? 'not a PatchOp', 'invalidSyntax')
  }
  let active: boolean | undefined
  for (const operation of parsed.data.Operations) {
    if (operation.op !== 'replace' && operation.op !== 'add') {
      throw new ScimError(
        400,
        `op "${operation.op.slice(0, 20)}" is not supported here`,
        'invalidPath',
      )
    }
    const value =
      operation.path === undefined
        ? (operation.value as { active?: unknown } | undefined)?.active
        : operation.path === 'active'
          ? operation.value
          : undefined
    const flag =
      value === 'True' || value === 'true'
        ? true
        : value === 'False' || value === 'false'
          ? false
          : value
    if (typeof flag !== 'boolean') {
      throw new ScimError(400, 'only "active" (true or false) can be patched here', 'noTarget')
    }
    active = flag
  }
  return active as boolean
}
