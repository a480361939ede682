/**
 * The one source of time for the IdP and the SP. Nothing else in ssoproof reads the system
 * clock: tests and scenarios hand both sides one ManualClock and move it instead of waiting.
 */
export interface Clock {
  /** Milliseconds since the Unix epoch. */
  now(): number
}

export const systemClock: Clock = { now: () => Date.now() }

export interface ManualClock extends Clock {
  set(instant: Date | number | string): void
  advance(by: number | string): void
}

export function createManualClock(
  start: Date | number | string = '2030-01-01T00:00:00Z',
): ManualClock {
  let current = toMillis(start)
  return {
    now: () => current,
    set(instant) {
      current = toMillis(instant)
    },
    advance(by) {
      current += typeof by === 'number' ? by : parseDuration(by)
    },
  }
}

/** The instant as SAML's xs:dateTime in UTC, whole seconds (saml-core 1.3.3). */
export function isoInstant(ms: number): string {
  return new Date(Math.floor(ms / 1000) * 1000).toISOString().replace('.000Z', 'Z')
}

const unitMs = { ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 } as const
const durationPattern = /^(?:\d+(?:ms|s|m|h|d))+$/

/** Parses durations such as `60s`, `5m`, `47h59m`, `2d`, `1500ms` into milliseconds. */
export function parseDuration(text: string): number {
  const trimmed = text.trim()
  if (!durationPattern.test(trimmed)) {
    throw new TypeError(
      `invalid duration "${text}": use a number with a unit, e.g. 90s, 5m, 47h59m`,
    )
  }
  let total = 0
  for (const match of trimmed.matchAll(/(\d+)(ms|s|m|h|d)/g)) {
    total += Number(match[1]) * unitMs[match[2] as keyof typeof unitMs]
  }
  return total
}

function toMillis(instant: Date | number | string): number {
  const ms =
    instant instanceof Date
      ? instant.getTime()
      : typeof instant === 'number'
        ? instant
        : Date.parse(instant)
  if (!Number.isFinite(ms)) throw new TypeError(`invalid instant "${String(instant)}"`)
  return ms
}
