import { addressKind } from '../core/http/fetch-policy/address-ranges.ts'
import { adminTokenSchema, unspecifiedHosts } from '../core/http/guard/server-options.ts'
import { type OptionSpec, UsageError } from './usage.ts'

/** The options of every command that listens: the admin token (`serve`, `sp`, `attack`). */
export const adminTokenOption: Record<string, OptionSpec> = {
  'admin-token': {
    type: 'string',
    valueName: 'TOKEN',
    description:
      'Admin calls (/admin…) need "Authorization: Bearer TOKEN" (16+ printable characters; default: SSOPROOF_ADMIN_TOKEN). Required with a non-loopback --host',
  },
}

/** Where outbound fetches may go besides loopback and public addresses (`serve`, `sp`). */
export const allowFetchHostOption: Record<string, OptionSpec> = {
  'allow-fetch-host': {
    type: 'string',
    valueName: 'HOST',
    description:
      'Let outbound fetches (metadataUrl, JWKS, discovery) reach this private or link-local host, address or CIDR range (repeatable)',
  },
}

export interface ListenPlan {
  /** The admin token to give the servers, if any. */
  adminToken: string | undefined
  /** What to print on stderr before serving (a non-loopback address). */
  warnings: string[]
}

/**
 * The rules for a listening address, the same for every command:
 *   - 0.0.0.0 and :: listen on every interface but are no address a browser or a peer can use,
 *     so the URLs others use must be given (`baseUrlOptions` names the options, with the value
 *     each was given); ssoproof never puts 0.0.0.0 into an entity ID or a URL;
 *   - an address other than loopback makes the servers reachable from the network: an admin token
 *     is required (--admin-token, else SSOPROOF_ADMIN_TOKEN), and a warning says what is exposed.
 */
export function planListen(options: {
  command: string
  host: string
  baseUrlOptions: Record<string, string | undefined>
  adminToken: string | undefined
  env?: NodeJS.ProcessEnv
}): ListenPlan {
  const { command, host } = options
  const env = options.env ?? process.env
  const adminToken = options.adminToken ?? (env.SSOPROOF_ADMIN_TOKEN || undefined)
  if (adminToken !== undefined && !adminTokenSchema.safeParse(adminToken).success) {
    throw new UsageError('--admin-token must be 16 to 256 printable ASCII characters, no spaces')
  }
  const normal = normalHost(host)
  if (normal === undefined) {
    throw new UsageError(`--host ${JSON.stringify(host)} is no host name or IP address`)
  }
  if (unspecifiedHosts.has(normal)) {
    const missing = Object.entries(options.baseUrlOptions).filter(([, value]) => !value)
    if (missing.length > 0) {
      const flags = missing.map(([name]) => `--${name} URL`).join(' and ')
      throw new UsageError(
        `--host ${host} listens on every interface, but is no address a browser or peer can reach: give ${flags} (the URL others use, e.g. http://my-host.lan:7000)`,
      )
    }
  }
  if (normal === 'localhost' || addressKind(normal) === 'loopback') {
    return { adminToken, warnings: [] }
  }
  if (adminToken === undefined) {
    throw new UsageError(
      `--host ${host} makes ${command} reachable from the network: give --admin-token TOKEN (or set SSOPROOF_ADMIN_TOKEN); admin calls then send "Authorization: Bearer TOKEN"`,
    )
  }
  return {
    adminToken,
    warnings: [
      `ssoproof ${command}: warning: listening on ${host}${unspecifiedHosts.has(normal) ? ' (every interface)' : ''}: anyone on the network can reach it. Admin calls need the admin token; sign-in pages, diagnostics and an agent console without agent SSO do not.`,
    ],
  }
}

/**
 * The host as a URL writes it (WHATWG URL host parsing: `0`, `0x0` and `0.0.0.0` are one IPv4
 * address, `::0` and `0:0::0` are `[::]`, `127.1` is 127.0.0.1), so that no spelling of "every
 * interface" or of loopback is taken for another; undefined when it is no host at all.
 */
function normalHost(host: string): string | undefined {
  const bracketed = host.includes(':') && !host.startsWith('[') ? `[${host}]` : host
  if (bracketed === '' || /[\s/?#@\\]/.test(bracketed)) return undefined
  try {
    return new URL(`http://${bracketed}`).hostname.toLowerCase()
  } catch {
    return undefined
  }
}
