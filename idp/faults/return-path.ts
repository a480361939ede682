import type { FaultSet } from './fault-set.ts'
import type { FaultOf } from './schema.ts'

/**
 * Catalogue item 32: the return path the IdP hands back with a valid, signed answer (RelayState)
 * spelled so that a careless SP's redirect leaves its own host. Each variant is one spelling a
 * browser resolves to `host` (WHATWG URL: a backslash is a slash in http(s) URLs, tabs are
 * dropped, a bare `https:` on an http page starts a new origin).
 */
export const returnPathVariants = {
  absolute: (host: string) => `https://${host}/after-sign-in`,
  'scheme-relative': (host: string) => `//${host}/after-sign-in`,
  backslash: (host: string) => `/\\${host}/after-sign-in`,
  'scheme-only': (host: string) => `https:${host}/after-sign-in`,
  tab: (host: string) => `/\t/${host}/after-sign-in`,
  'encoded-slashes': (host: string) => `/%2F${host}/after-sign-in`,
  'dot-segments': (host: string) => `/..//${host}/after-sign-in`,
} as const

export type ReturnPathVariant = keyof typeof returnPathVariants

export const returnPathVariantNames = Object.keys(returnPathVariants) as [
  ReturnPathVariant,
  ...ReturnPathVariant[],
]

/** The RelayState a fault sends instead of the one the SP gave (or none, IdP-initiated). */
export function hostileReturnPath(fault: FaultOf<'saml-relay-state'>): string {
  return returnPathVariants[fault.variant](fault.host)
}

/**
 * The RelayState the IdP hands the browser with its answer to `sp` for `user`: the flow's own,
 * or a `saml-relay-state` fault's hostile one. The signed message is the honest one either way.
 */
export function relayStateWithFaults(
  faults: FaultSet,
  target: { sp: string; user: string | undefined },
  relayState: string | undefined,
): string | undefined {
  const [fault] = faults.take(['saml-relay-state'], target)
  return fault ? hostileReturnPath(fault) : relayState
}
