import { parse } from 'node-html-parser'
import type { Visit } from './browser.ts'
import { deliveryHops } from './signal.ts'

/** Where the SP's answer sent the browser off its host, and how. */
export interface OffSite {
  /** The target as a browser resolves it (WHATWG URL against the page that named it). */
  url: string
  how: 'Location' | 'meta refresh' | 'script'
}

/**
 * Catalogue case 32 seen from outside: after the delivery, did the SP send the browser to a host
 * other than its own and the IdP's? A redirect (Location, read whether or not the browser was
 * let through) or, on the last page, a meta refresh or a script setting `location`. Hosts, not
 * origins: another port of the same host is still the SP's operator.
 */
export function offSiteRedirect(visit: Visit, ownHosts: readonly string[]): OffSite | undefined {
  const own = new Set(ownHosts.map((host) => host.toLowerCase()))
  const offSite = (url: string) => {
    const host = hostOf(url)
    return host !== undefined && !own.has(host)
  }
  for (const hop of deliveryHops(visit)) {
    if (hop.location && offSite(hop.location)) return { url: hop.location, how: 'Location' }
  }
  const final = visit.final
  if (!final || deliveryHops(visit).length === 0) return undefined
  for (const target of pageRedirects(final.text)) {
    const url = resolve(target.url, final.url)
    if (url && offSite(url)) return { url, how: target.how }
  }
  return undefined
}

/** The host a URL names, lower-case and without IPv6 brackets; undefined for non-web URLs. */
export function hostOf(url: string): string | undefined {
  try {
    const parsed = new URL(url)
    if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') return undefined
    return parsed.hostname.toLowerCase().replace(/^\[(.*)\]$/, '$1')
  } catch {
    return undefined
  }
}

// `location = '…'`, `location.href = "…"`, `window.location.replace('…')`, `top.location.assign(…)`.
const scriptRedirect =
  /\blocation(?:\.href)?\s*=\s*(["'`])((?:\\.|(?!\1).)*)\1|\blocation\.(?:replace|assign)\(\s*(["'`])((?:\\.|(?!\3).)*)\3/g

/** The redirects a page asks for by itself: meta refresh targets and script `location` writes. */
export function pageRedirects(html: string): { url: string; how: OffSite['how'] }[] {
  const document = parse(html)
  const found: { url: string; how: OffSite['how'] }[] = []
  for (const meta of document.querySelectorAll('meta')) {
    if (meta.getAttribute('http-equiv')?.toLowerCase() !== 'refresh') continue
    const url = /^\s*\d*\s*[;,]?\s*url\s*=\s*(['"]?)(.*?)\1\s*$/i.exec(
      meta.getAttribute('content') ?? '',
    )?.[2]
    if (url) found.push({ url, how: 'meta refresh' })
  }
  for (const script of document.querySelectorAll('script')) {
    for (const match of script.text.matchAll(scriptRedirect)) {
      const literal = match[2] ?? match[4]
      if (literal !== undefined) found.push({ url: unescapeJs(literal), how: 'script' })
    }
  }
  return found
}

function unescapeJs(literal: string): string {
  return literal.replace(/\\(?:x([0-9a-f]{2})|u([0-9a-f]{4})|(.))/gi, (_, hex, unicode, other) =>
    hex || unicode ? String.fromCharCode(Number.parseInt(hex ?? unicode, 16)) : other,
  )
}

function resolve(url: string, base: string): string | undefined {
  try {
    return new URL(url, base).toString()
  } catch {
    return undefined
  }
}
