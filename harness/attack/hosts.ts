/**
 * Which hosts `ssoproof attack` may send forged messages to: loopback (127.0.0.0/8, ::1,
 * localhost) and the hosts the user names with --allow-host. Nothing else is ever contacted.
 */
export interface HostPolicy {
  /** The reason the URL is refused, or undefined when it may be contacted. */
  refusal(url: string): string | undefined
}

export function createHostPolicy(allowHosts: readonly string[]): HostPolicy {
  const allowed = new Set(allowHosts.map((host) => normalHost(host)))
  return {
    refusal(url) {
      let parsed: URL
      try {
        parsed = new URL(url)
      } catch {
        return `"${url}" is not a URL`
      }
      if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') {
        return `${parsed.protocol} URLs are not contacted (${url})`
      }
      const host = normalHost(parsed.hostname)
      if (isLoopback(host) || allowed.has(host)) return undefined
      return `${host} is neither loopback nor named with --allow-host`
    },
  }
}

function normalHost(host: string): string {
  return host.toLowerCase().replace(/^\[(.*)\]$/, '$1')
}

function isLoopback(host: string): boolean {
  return host === 'localhost' || host === '::1' || /^127(?:\.\d{1,3}){3}$/.test(host)
}
