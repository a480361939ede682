import { SsoError } from '../../core/errors/index.ts'
import type { IdpContext } from '../context.ts'

/**
 * Queues a headless sign-in (login-queue.ts) for an existing user, at one registered SP (SAML
 * entity ID, JWT SP id or OIDC client_id) or at any; returns how many are queued.
 */
export function queueLogin(ctx: IdpContext, userId: string, sp: string | undefined): number {
  if (!ctx.users.get(userId)) {
    throw new SsoError('CONFIG_INVALID', 'userId', 'userId must name an existing user', { userId })
  }
  if (sp !== undefined && !isRegisteredSp(ctx, sp)) {
    throw new SsoError(
      'CONFIG_INVALID',
      'sp',
      'sp must name a registered SAML SP (entity ID), JWT SP (id) or OIDC client (client_id)',
      { sp: sp.slice(0, 200) },
    )
  }
  return ctx.nextLogins.push(userId, sp)
}

function isRegisteredSp(ctx: IdpContext, sp: string): boolean {
  return (
    ctx.serviceProviders.get(sp) !== undefined ||
    ctx.jwtServiceProviders.get(sp) !== undefined ||
    ctx.oidcClients.get(sp) !== undefined
  )
}
