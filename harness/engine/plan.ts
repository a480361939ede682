import type { ProtocolName, Scenario } from './scenario-schema.ts'

/** One run of a scenario under one protocol: a testcase in the reports. */
export interface PlannedRun {
  /** `<scenario id> [<protocol>]`, unique in the run and stable across runs. */
  id: string
  scenario: Scenario
  protocol: ProtocolName
}

export interface PlanFilters {
  driver: 'http' | 'browser'
  /** Keep runs whose id or title matches this regular expression. */
  grep?: RegExp | undefined
  /** Keep scenarios carrying any of these tags (all when empty). */
  tags?: string[]
  /** Keep scenarios that prove any of these rule ids (all when empty). */
  rules?: string[]
  /** Keep these protocols (all when empty). */
  protocols?: string[]
  /** `{index: 1, total: 2}`: the first of two shards. */
  shard?: { index: number; total: number } | undefined
}

/**
 * Expands scenarios into runs (one per protocol), applies the filters, then takes the shard.
 * Runs are ordered by id before sharding so every machine computes the same split: shard k of n
 * takes the k-th contiguous slice, and the n slices together are every run exactly once.
 */
export function planRuns(scenarios: Scenario[], filters: PlanFilters): PlannedRun[] {
  const tags = filters.tags ?? []
  const rules = filters.rules ?? []
  const protocols = filters.protocols ?? []
  const runs: PlannedRun[] = []
  for (const scenario of scenarios) {
    if (!scenario.drivers.includes(filters.driver)) continue
    if (tags.length > 0 && !scenario.tags.some((tag) => tags.includes(tag))) continue
    if (rules.length > 0 && !scenario.rules.some((rule) => rules.includes(rule))) continue
    for (const protocol of scenario.protocols) {
      if (protocols.length > 0 && !protocols.includes(protocol)) continue
      const id = `${scenario.id} [${protocol}]`
      if (filters.grep && !filters.grep.test(id) && !filters.grep.test(scenario.title)) continue
      runs.push({ id, scenario, protocol })
    }
  }
  runs.sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0))
  if (!filters.shard) return runs
  const { index, total } = filters.shard
  const start = Math.floor(((index - 1) * runs.length) / total)
  const end = Math.floor((index * runs.length) / total)
  return runs.slice(start, end)
}

/** Reads `i/n` (1 ≤ i ≤ n). */
export function parseShard(text: string): { index: number; total: number } {
  const match = /^(\d+)\/(\d+)$/.exec(text.trim())
  const index = Number(match?.[1])
  const total = Number(match?.[2])
  if (!match || total < 1 || index < 1 || index > total) {
    throw new RangeError(`invalid shard "${text}": use i/n with 1 ≤ i ≤ n, e.g. 1/2`)
  }
  return { index, total }
}
