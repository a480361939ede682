import { BlockList, isIP } from 'node:net'

/** What an IP address is, for outbound fetches (IANA special-purpose registries, RFC 6890). */
export type AddressKind = 'loopback' | 'private' | 'link-local' | 'special' | 'public'

function ranges(subnets: ReadonlyArray<readonly [string, number]>): BlockList {
  const list = new BlockList()
  for (const [network, prefix] of subnets) {
    list.addSubnet(network, prefix, network.includes(':') ? 'ipv6' : 'ipv4')
  }
  return list
}

// IPv4-mapped IPv6 addresses (::ffff:a.b.c.d) match the IPv4 ranges too (node:net BlockList).
const kinds: ReadonlyArray<readonly [AddressKind, BlockList]> = [
  [
    'loopback',
    ranges([
      ['127.0.0.0', 8],
      ['::1', 128],
    ]),
  ],
  [
    'link-local',
    ranges([
      ['169.254.0.0', 16],
      ['fe80::', 10],
    ]),
  ],
  [
    'private',
    ranges([
      ['10.0.0.0', 8],
      ['172.16.0.0', 12],
      ['192.168.0.0', 16],
      ['fc00::', 7],
      ['fec0::', 10],
    ]),
  ],
  [
    'special',
    ranges([
      ['0.0.0.0', 8], // "this network", 0.0.0.0 included
      ['100.64.0.0', 10], // shared address space (carrier-grade NAT)
      ['192.0.0.0', 24], // IETF protocol assignments
      ['192.0.2.0', 24], // documentation
      ['198.18.0.0', 15], // benchmarking
      ['198.51.100.0', 24],
      ['203.0.113.0', 24],
      ['224.0.0.0', 4], // multicast
      ['240.0.0.0', 4], // reserved, broadcast included
      ['::', 128], // unspecified
      ['64:ff9b::', 96], // NAT64: an IPv4 address in disguise
      ['64:ff9b:1::', 48],
      ['100::', 64], // discard-only
      ['2001::', 23], // IETF protocol assignments, Teredo included
      ['2001:db8::', 32], // documentation
      ['2002::', 16], // 6to4: an IPv4 address in disguise
      ['ff00::', 8], // multicast
    ]),
  ],
]

/** The kind of an IP address (v4, v6, IPv4-mapped); undefined when the text is no IP address. */
export function addressKind(address: string): AddressKind | undefined {
  const bare = address.replace(/^\[(.*)\]$/, '$1')
  const version = isIP(bare)
  if (version === 0) return undefined
  const type = version === 4 ? 'ipv4' : 'ipv6'
  for (const [kind, list] of kinds) if (list.check(bare, type)) return kind
  return 'public'
}
