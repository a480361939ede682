import * as z from 'zod'

/**
 * `reports/out/bench.json`, as `npm run bench` writes it; scripts/bench/README.md describes
 * every field. Bump `benchSchemaVersion` on any change that is not a pure addition.
 */
export const benchSchemaVersion = 1

export const comparisonSchema = z.object({
  /** `limit`: a physical limit measured in the same run (raw crypto); `peer`: another tool doing the same job in the same run; `bound`: a stated bound; `baseline`: ssoproof's own figure in the same run. */
  kind: z.enum(['limit', 'peer', 'bound', 'baseline']),
  name: z.string(),
  value: z.number(),
  unit: z.string(),
})

export const figureSchema = z.object({
  /** Stable id, e.g. `saml-issuance`. */
  id: z.string(),
  /** The figure's number in the benchmark issue (1–7; 8: CLI start-up), 0 for the shared crypto limits. */
  item: z.number().int().min(0).max(9),
  title: z.string(),
  value: z.number(),
  unit: z.string(),
  /** Whether a larger value is better (rates) or worse (times, memory). */
  higherIsBetter: z.boolean(),
  comparison: comparisonSchema.optional(),
  /** `value / comparison.value`. */
  ratio: z.number().optional(),
  /** The goal this figure is held to, and whether this run met it. */
  goal: z.object({ text: z.string(), met: z.boolean() }).optional(),
  /** One line for the table: what else the figure measured (p99, errors, …). */
  note: z.string(),
  /**
   * `measured` (or absent): the value is the figure. `starved`: the server got less than 0.9 of a
   * core, so the value measures the machine, not ssoproof, and no goal is met. `not-reached`: the
   * time box ended before the target (the value is what was measured by then; nothing projected).
   */
  status: z.enum(['measured', 'starved', 'not-reached']).optional(),
  /** Every number behind the figure, for reading with jq. */
  details: z.record(z.string(), z.union([z.number(), z.string(), z.boolean()])),
})

export const benchReportSchema = z.object({
  schemaVersion: z.literal(benchSchemaVersion),
  tool: z.object({ name: z.literal('ssoproof'), version: z.string() }),
  /** `full`: time-boxed measurements; `smoke`: a few iterations each (the test), numbers meaningless. */
  mode: z.enum(['full', 'smoke']),
  startedAt: z.string(),
  durationMs: z.number().nonnegative(),
  machine: z.object({
    node: z.string(),
    platform: z.string(),
    arch: z.string(),
    cpus: z.number().int().positive(),
    cpuModel: z.string(),
    totalMemoryMb: z.number(),
    /** The 1-minute load average when the run started: other processes share the cores. */
    loadAverage: z.number(),
  }),
  figures: z.array(figureSchema),
})

export type Comparison = z.infer<typeof comparisonSchema>
export type Figure = z.infer<typeof figureSchema>
export type BenchReport = z.infer<typeof benchReportSchema>

/** A figure from its value and comparison; the ratio is derived, the goal judged on it. */
export function figure(
  base: Omit<Figure, 'ratio' | 'goal'>,
  goal?: { text: string; met: (ratio: number | undefined, value: number) => boolean },
): Figure {
  const ratio =
    base.comparison && base.comparison.value > 0 ? base.value / base.comparison.value : undefined
  return {
    ...base,
    ...(ratio !== undefined ? { ratio } : {}),
    ...(goal ? { goal: { text: goal.text, met: goal.met(ratio, base.value) } } : {}),
  }
}

/** The table `npm run bench` prints: one row per figure. */
export function formatTable(report: BenchReport): string {
  const header = ['#', 'figure', 'ssoproof', 'against', 'ratio', 'goal', 'notes']
  const rows = report.figures.map((row) => [
    row.item === 0 ? '–' : String(row.item),
    row.title,
    row.status === 'starved'
      ? `machine starved (${number(row.value)} ${row.unit})`
      : row.status === 'not-reached'
        ? `not reached (${number(row.value)} ${row.unit})`
        : `${number(row.value)} ${row.unit}`,
    row.comparison
      ? `${number(row.comparison.value)} ${row.comparison.unit} (${row.comparison.kind}: ${row.comparison.name})`
      : '—',
    row.ratio === undefined ? '—' : `${row.ratio.toFixed(2)}×`,
    row.goal ? `${row.goal.met ? 'met' : 'MISSED'} (${row.goal.text})` : '—',
    row.note,
  ])
  const widths = header.map((cell, index) =>
    Math.max(cell.length, ...rows.map((row) => (row[index] ?? '').length)),
  )
  const line = (cells: string[]) =>
    cells
      .map((cell, index) => cell.padEnd(widths[index] ?? 0))
      .join(' │ ')
      .trimEnd()
  return [
    line(header),
    widths.map((width) => '─'.repeat(width)).join('─┼─'),
    ...rows.map(line),
  ].join('\n')
}

/** Three significant digits, no exponent: 1234 → "1234", 12.345 → "12.3", 0.01234 → "0.0123". */
export function number(value: number): string {
  if (!Number.isFinite(value)) return String(value)
  const magnitude = Math.abs(value)
  if (magnitude >= 100) return Math.round(value).toString()
  if (magnitude >= 10) return value.toFixed(1)
  if (magnitude >= 1) return value.toFixed(2)
  return value.toPrecision(3)
}
