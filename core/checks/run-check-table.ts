import { type Finding, SsoError } from '../errors/index.ts'

/** How one check of a validation ended; `not-reached` follows a failure. */
export type CheckOutcome = 'pass' | 'warning' | 'fail' | 'not-checked' | 'not-reached'

export interface CheckReport {
  check: string
  /** What the check enforces, in a few words. */
  enforces: string
  outcome: CheckOutcome
  /** The failure (outcome `fail`). */
  failure?: Finding
  /** Why there was nothing to check against (outcome `not-checked`). */
  notChecked?: string
  /** What the check let through under an allowance; outcome `warning` unless it failed anyway. */
  warnings: Finding[]
}

/** A check table: each check's name, what runs it and what it enforces, in the order they run. */
export type CheckTable<C> = readonly (readonly [string, (ctx: C) => void, string])[]

/** What the running check may record besides passing or throwing. */
export interface CheckNotes {
  /** Something the running check let through under an allowance (legacy crypto, …). */
  warn(warning: Finding): void
  /** The running check had nothing to check against (offline: no request, no cache). */
  notChecked(reason: string): void
}

/**
 * Runs a check table in order over `ctx`; the first SsoError ends it and is rethrown. `onCheck`
 * hears every check, those after a failure as `not-reached`, with the context as the checks left
 * it (diagnostics read what they decrypted), so the same table drives the endpoint, the
 * diagnostics page and `ssoproof check`. `bind` hands the table's context the notes of the check
 * running. Returns the context and every warning, in order.
 */
export function runCheckTable<C>(
  table: CheckTable<C>,
  bind: (notes: CheckNotes) => C,
  onCheck?: (report: CheckReport, ctx: C) => void,
): { ctx: C; warnings: Finding[] } {
  const warnings: Finding[] = []
  let current: { warnings: Finding[]; notChecked?: string } = { warnings: [] }
  const ctx = bind({
    warn: (warning) => {
      current.warnings.push(warning)
      warnings.push(warning)
    },
    notChecked: (reason) => {
      current.notChecked = reason
    },
  })
  for (const [index, [check, run, enforces]] of table.entries()) {
    current = { warnings: [] }
    try {
      run(ctx)
    } catch (error) {
      if (error instanceof SsoError && onCheck) {
        onCheck({ check, enforces, outcome: 'fail', failure: error.toFinding(), ...current }, ctx)
        for (const [later, , laterEnforces] of table.slice(index + 1)) {
          onCheck(
            { check: later, enforces: laterEnforces, outcome: 'not-reached', warnings: [] },
            ctx,
          )
        }
      }
      throw error
    }
    const outcome =
      current.notChecked !== undefined
        ? 'not-checked'
        : current.warnings.length > 0
          ? 'warning'
          : 'pass'
    onCheck?.({ check, enforces, outcome, ...current }, ctx)
  }
  return { ctx, warnings }
}
