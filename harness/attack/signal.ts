import { redactUrl } from '../../core/trace/decode.ts'
import type { Hop, Visit } from './browser.ts'

/**
 * How the attack tells that the SP accepted a sign-in (`ssoproof attack --success-…`). Every
 * signal given must match. Without one, the default: the SP's answers from the delivery on are
 * all below 400, the last page is 2xx, and the SP set a cookie on the way (a new session).
 */
export interface SuccessSignal {
  /** The HTTP status of the final page. */
  status?: number | undefined
  /** A redirect from the delivery on (or the final URL) starts with this. */
  redirectPrefix?: string | undefined
  /** The SP set this cookie (non-empty) from the delivery on. */
  cookie?: string | undefined
  /** The final page contains this text. */
  text?: string | undefined
}

export interface SignalCheck {
  name: string
  matched: boolean
  /** What was seen, one short line, no secrets. */
  seen: string
}

export interface SignalResult {
  accepted: boolean
  /** The SP's answer to the message: at least one request reached it after the IdP. */
  reached: boolean
  checks: SignalCheck[]
}

/** The hops from the delivery on: after the IdP handed the message to the browser. */
export function deliveryHops(visit: Visit): Hop[] {
  const lastIdp = visit.hops.findLastIndex((hop) => hop.party === 'idp')
  return visit.hops.slice(lastIdp + 1)
}

export function evaluateSignal(signal: SuccessSignal, visit: Visit): SignalResult {
  const hops = deliveryHops(visit)
  const final = visit.final
  const reached = hops.length > 0
  const checks: SignalCheck[] = []
  const finalSeen = final
    ? `${final.status} at ${redactUrl(final.url)}`
    : (visit.problem ?? 'no final page')
  const explicit =
    signal.status !== undefined ||
    signal.redirectPrefix !== undefined ||
    signal.cookie !== undefined ||
    signal.text !== undefined
  if (signal.status !== undefined) {
    checks.push({
      name: `status ${signal.status}`,
      matched: final?.status === signal.status,
      seen: finalSeen,
    })
  }
  if (signal.redirectPrefix !== undefined) {
    const prefix = signal.redirectPrefix
    const targets = [...hops.flatMap((hop) => (hop.location ? [hop.location] : []))]
    if (final && reached) targets.push(final.url)
    const match = targets.find((target) => target.startsWith(prefix))
    const went = targets.map(redactUrl).join(' → ')
    checks.push({
      name: `redirect to ${prefix}…`,
      matched: match !== undefined,
      seen: match ? redactUrl(match) : went ? `went to ${went}` : 'no redirect',
    })
  }
  if (signal.cookie !== undefined) {
    const name = signal.cookie
    const set = hops.some((hop) => hop.cookies[name] === true)
    checks.push({
      name: `cookie ${name}`,
      matched: set,
      seen: set ? `${name} set` : `${name} not set (set: ${setCookieNames(hops) || 'none'})`,
    })
  }
  if (signal.text !== undefined) {
    const found = final?.text.includes(signal.text) ?? false
    checks.push({
      name: `text "${signal.text}"`,
      matched: found,
      seen: found ? 'on the final page' : `not on the final page (${finalSeen})`,
    })
  }
  if (!explicit) {
    const failing = hops.find((hop) => hop.status >= 400)
    const cookies = setCookieNames(hops)
    checks.push(
      {
        name: 'no error status from the SP',
        matched: reached && failing === undefined,
        seen: failing
          ? `${failing.status} at ${redactUrl(failing.url)}`
          : reached
            ? 'none'
            : 'SP not reached',
      },
      {
        name: 'final page 2xx',
        matched: final !== undefined && final.status >= 200 && final.status < 300,
        seen: finalSeen,
      },
      { name: 'a cookie set by the SP', matched: cookies !== '', seen: cookies || 'none' },
    )
  }
  return {
    accepted: reached && checks.every((check) => check.matched),
    reached,
    checks,
  }
}

function setCookieNames(hops: Hop[]): string {
  const names = new Set(
    hops.flatMap((hop) =>
      Object.entries(hop.cookies).flatMap(([name, set]) => (set ? [name] : [])),
    ),
  )
  return [...names].join(', ')
}
