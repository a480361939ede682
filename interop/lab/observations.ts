/** One thing a cell saw the other side report, against what it expected. */
export interface Observation {
  what: string
  expected: string
  actual: string
  ok: boolean
}

/** Thrown by a failed observation; the runner reports the observation, not a stack. */
export class ObservationFailed extends Error {
  constructor(readonly observation: Observation) {
    super(`${observation.what}: expected ${observation.expected}, observed ${observation.actual}`)
  }
}

/**
 * What a cell records while it runs: every check of what a peer observed, passed or not. The
 * first failed one ends the cell.
 */
export class Observations {
  readonly list: Observation[] = []

  /** `actual` must equal `expected` exactly. */
  equal(what: string, actual: unknown, expected: unknown): void {
    this.record({
      what,
      expected: show(expected),
      actual: show(actual),
      ok: show(actual) === show(expected),
    })
  }

  /** `actual` must satisfy `test`, described as `expected`. */
  that<T>(what: string, actual: T, expected: string, test: (value: T) => boolean): void {
    this.record({ what, expected, actual: show(actual), ok: test(actual) })
  }

  /** `text` must contain `needle`. */
  contains(what: string, text: string, needle: string): void {
    this.record({
      what,
      expected: `contains ${JSON.stringify(needle)}`,
      actual: text.includes(needle) ? `contains ${JSON.stringify(needle)}` : excerpt(text),
      ok: text.includes(needle),
    })
  }

  private record(observation: Observation): void {
    this.list.push(observation)
    if (!observation.ok) throw new ObservationFailed(observation)
  }
}

function show(value: unknown): string {
  if (typeof value === 'string') return value
  return JSON.stringify(value) ?? String(value)
}

function excerpt(text: string): string {
  const flat = text.replace(/\s+/g, ' ').trim()
  return flat.length > 300 ? `${flat.slice(0, 300)}…` : flat
}
