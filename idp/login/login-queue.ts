/** One headless sign-in waiting for a flow: the user, and the SP it is meant for if named. */
export interface QueuedLogin {
  userId: string
  /** SAML entity ID, JWT SP id or OIDC client_id; undefined: the next sign-in at any SP. */
  sp: string | undefined
}

/**
 * Headless sign-ins for tests and scripts (navikt/mock-oauth2-server's enqueued callbacks): the
 * next sign-in request at the named SP, or at any SP, completes as the queued user without the
 * login form. Each is used up by the request that takes it — accepted or refused
 * (sign-in-attempt.ts) — first queued, first taken.
 */
export interface LoginQueue {
  /** Queues a sign-in; returns how many are queued. */
  push(userId: string, sp?: string): number
  /**
   * The first login queued for this SP or for any, removed from the queue. A request that names
   * no SP (`undefined`) takes only one queued for any.
   */
  take(sp: string | undefined): QueuedLogin | undefined
  /** What is queued, in order. */
  list(): QueuedLogin[]
  /** Drops every queued login; returns how many there were. */
  clear(): number
  readonly length: number
}

export function createLoginQueue(): LoginQueue {
  const queue: QueuedLogin[] = []
  return {
    push: (userId, sp) => queue.push({ userId, sp }),
    take(sp) {
      const index = queue.findIndex((login) => login.sp === undefined || login.sp === sp)
      return index === -1 ? undefined : queue.splice(index, 1)[0]
    },
    list: () => queue.map((login) => ({ ...login })),
    clear: () => queue.splice(0).length,
    get length() {
      return queue.length
    },
  }
}
