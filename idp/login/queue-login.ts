import { SsoError } from '../../core/errors/index.ts'
import type { IdpContext } from '../context.ts'

/** Queues a headless sign-in (login-queue.ts) for an existing user, at one SP or any. */
export function queueLogin(ctx: IdpContext, userId: string, sp: string | undefined): void {
  if (!ctx.users.get(userId)) {
    throw new SsoError('CONFIG_INVALID', 'userId', 'userId must name an existing user', { userId })
  }
  ctx.loginQueue.add({ userId, sp })
}
