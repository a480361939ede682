import type { RuleCoverage } from './model.ts'

/** How a rule falls short of a passing positive and negative result: `+ only`, `− only`, `failing`, `none`. */
export function shortfall(rule: RuleCoverage): string {
  if (rule.status === 'uncovered') return 'none'
  if (rule.status === 'failing') return 'failing'
  return (rule.negative ?? []).length > 0 ? '− only' : '+ only'
}
