/** One headless sign-in waiting for a flow: the user, and the SP it is meant for if named. */
export interface QueuedLogin {
  userId: string
  /** SAML entity ID, JWT SP id or OIDC client_id; undefined: the next sign-in at any SP. */
  sp: string | undefined
}

/**
 * Headless sign-ins for tests and scripts (navikt/mock-oauth2-server's enqueued callbacks): the
 * next sign-in flow at the named SP, or at any SP, completes as the queued user without the
 * login form. Each is used up by the flow that takes it, first queued first taken.
 */
export interface LoginQueue {
  add(login: QueuedLogin): void
  /** The first login queued for this SP or for any, removed from the queue. */
  take(sp: string): QueuedLogin | undefined
  /** Drops every queued login; returns how many there were. */
  clear(): number
  readonly size: number
}

export function createLoginQueue(): LoginQueue {
  const queue: QueuedLogin[] = []
  return {
    add: (login) => {
      queue.push(login)
    },
    take(sp) {
      const index = queue.findIndex((login) => login.sp === undefined || login.sp === sp)
      return index === -1 ? undefined : queue.splice(index, 1)[0]
    },
    clear: () => queue.splice(0).length,
    get size() {
      return queue.length
    },
  }
}
