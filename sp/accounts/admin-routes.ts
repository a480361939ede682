import { Hono } from 'hono'
import * as z from 'zod'
import type { Clock } from '../../core/clock/index.ts'
import { parseConfig } from '../../core/config/parse-config.ts'
import { readJson } from '../../core/http/read-json.ts'
import type { ContactStore } from './contacts.ts'

const unlinkedAccountSchema = z
  .object({
    name: z.string().min(1).max(200).optional(),
    email: z.email().max(254),
    username: z
      .string()
      .regex(/^[A-Za-z0-9._-]{2,40}$/)
      .optional(),
  })
  .strict()

/**
 * The SP's account admin API (JSON, behind the request guard's admin checks), for a site that
 * had accounts before SSO (inSided: "SSO introduced on a running community"):
 *   POST /admin/contacts   {email, name?, username?}: an account with no IdP yet. A first
 *                          sign-on takes it over only where the campaign links by verified email
 *                          (accounts.linkByEmail); elsewhere its email clashes as any other's.
 */
export function accountAdminRoutes(deps: {
  contacts: ContactStore
  clock: Clock
  log(line: string): void
}) {
  const app = new Hono()
  app.post('/contacts', async (c) => {
    const input = parseConfig(unlinkedAccountSchema, await readJson(c.req.raw), 'account')
    const id = deps.contacts.createUnlinked(
      { ...input, customFields: {}, customVariables: {} },
      deps.clock.now(),
    )
    deps.log(`SP admin: account ${id} made before SSO (no IdP yet)`)
    return c.json({ contact: { id, linked: false } }, 201)
  })
  return app
}
