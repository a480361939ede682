import { lookup as dnsLookup } from 'node:dns/promises'
import { BlockList, isIP } from 'node:net'
import { SsoError } from '../../errors/index.ts'
import { type AddressKind, addressKind } from './address-ranges.ts'

/** Resolves a host name to every address it has (injected: tests need no DNS). */
export type HostLookup = (hostname: string) => Promise<string[]>

export const systemLookup: HostLookup = async (hostname) =>
  (await dnsLookup(hostname, { all: true, verbatim: true })).map((entry) => entry.address)

/** Kinds of address an outbound fetch reaches without being named in the allow-list. */
const reachable: ReadonlySet<AddressKind> = new Set(['loopback', 'public'])

export interface FetchPolicyOptions {
  /**
   * Host names (exact, any case), IP addresses and CIDR ranges (`10.0.0.0/8`, `fd00::/8`) an
   * outbound fetch may reach besides loopback and public addresses.
   */
  allowHosts?: readonly string[]
  lookup?: HostLookup
}

/** Where outbound fetches may go; `check` answers once the URL's host is known to be allowed. */
export interface FetchPolicy {
  /** Throws OUTBOUND_HOST_NOT_ALLOWED; a host name that does not resolve throws a plain Error. */
  check(url: string): Promise<void>
}

/**
 * The outbound fetch policy (catalogue case 36, SSRF): a URL an admin call, a configuration or a
 * fetched document names may reach loopback (the product's own use) and public addresses, and
 * hosts the allow-list names; link-local (cloud metadata at 169.254.169.254), private and other
 * special-purpose addresses are refused, however the URL spells them (decimal, hex, IPv4-mapped
 * IPv6) and whatever a host name resolves to — every address it resolves to must be allowed.
 */
export function createFetchPolicy(options: FetchPolicyOptions = {}): FetchPolicy {
  const names = new Set<string>()
  const allowed = new BlockList()
  for (const entry of options.allowHosts ?? []) {
    const [network, prefix] = entry.split('/')
    const bare = (network ?? '').replace(/^\[(.*)\]$/, '$1')
    const version = isIP(bare)
    if (version === 0) names.add(entry.toLowerCase())
    else if (prefix === undefined) allowed.addAddress(bare, version === 4 ? 'ipv4' : 'ipv6')
    else allowed.addSubnet(bare, Number(prefix), version === 4 ? 'ipv4' : 'ipv6')
  }
  const lookup = options.lookup ?? systemLookup
  const addressAllowed = (address: string) => {
    const kind = addressKind(address)
    const version = isIP(address)
    if (kind !== undefined && reachable.has(kind)) return { ok: true, kind }
    const listed = version !== 0 && allowed.check(address, version === 4 ? 'ipv4' : 'ipv6')
    return { ok: listed, kind: kind ?? 'unknown' }
  }
  return {
    async check(url) {
      const parsed = new URL(url)
      if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') {
        throw refused(parsed, 'not an http(s) URL', parsed.protocol)
      }
      const host = parsed.hostname.replace(/^\[(.*)\]$/, '$1').toLowerCase()
      if (names.has(host)) return
      const addresses = isIP(host) !== 0 ? [host] : await lookup(host)
      if (addresses.length === 0) throw new Error(`${host} resolves to no address`)
      for (const address of addresses) {
        const { ok, kind } = addressAllowed(address)
        if (!ok) throw refused(parsed, `a ${kind} address`, address)
      }
    },
  }
}

function refused(url: URL, what: string, address: string): SsoError {
  return new SsoError(
    'OUTBOUND_HOST_NOT_ALLOWED',
    'outbound URL',
    `the URL's host is ${what}, which outbound fetches may not reach`,
    { host: url.hostname.slice(0, 200), address: address.slice(0, 60) },
  )
}

/**
 * The hosts of the http(s) URLs among a configuration's values (one level deep, arrays too): the
 * hosts a person named when configuring, which the policy then allows by name. What a fetched
 * document names (a discovery document's jwks_uri) is not among them.
 */
export function namedHosts(...settings: ReadonlyArray<object | undefined>): string[] {
  const hosts = new Set<string>()
  const add = (value: unknown) => {
    if (typeof value === 'string' && /^https?:\/\//i.test(value) && URL.canParse(value)) {
      hosts.add(new URL(value).hostname.replace(/^\[(.*)\]$/, '$1'))
    } else if (Array.isArray(value)) for (const item of value) add(item)
  }
  for (const object of settings) for (const value of Object.values(object ?? {})) add(value)
  return [...hosts]
}
