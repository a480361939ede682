import { readFileSync } from 'node:fs'
import { parse as parseYaml } from 'yaml'
import * as z from 'zod'
import { parseConfig } from '../../core/config/parse-config.ts'
import { packagePath } from '../../core/package/index.ts'
import type { Rule, RuleCoverage, ScenarioResult } from '../../reports/model.ts'
import type { ScenarioIssue } from './load.ts'
import type { Scenario } from './scenario-schema.ts'

export const rulesFile = packagePath('scenarios', 'rules.yaml')

const rulesFileSchema = z.array(
  z
    .object({
      section: z.string().min(1),
      rules: z
        .array(
          z
            .object({
              id: z.string().regex(/^[a-z0-9][a-z0-9-]*$/),
              title: z.string().min(1),
              /** Where the requirement is written: `product.md › <section>` or `seeds/<file>`. */
              source: z.string().min(1),
            })
            .strict(),
        )
        .min(1),
    })
    .strict(),
)

/** The rules catalogue (scenarios/rules.yaml), flattened in file order. */
export function loadRules(path = rulesFile): Rule[] {
  const sections = parseConfig(rulesFileSchema, parseYaml(readFileSync(path, 'utf8')), path)
  const rules = sections.flatMap((section) =>
    section.rules.map((rule) => ({ ...rule, section: section.section })),
  )
  const seen = new Set<string>()
  for (const rule of rules) {
    if (seen.has(rule.id)) throw new Error(`${path}: duplicate rule id "${rule.id}"`)
    seen.add(rule.id)
  }
  return rules
}

/**
 * A scenario that names a rule the catalogue does not know, or names one as both positive and
 * negative, is a mistake in the file.
 */
export function unknownRuleIssues(scenarios: Scenario[], rules: Rule[]): ScenarioIssue[] {
  const known = new Set(rules.map((rule) => rule.id))
  const issues: ScenarioIssue[] = []
  for (const scenario of scenarios) {
    for (const id of scenario.rules) {
      if (!known.has(id)) {
        issues.push({
          file: scenario.file,
          line: scenario.line,
          column: 1,
          path: `rules`,
          message: `unknown rule id "${id}" (see scenarios/rules.yaml)`,
        })
      }
    }
    const twice = scenario.negativeRules.filter(
      (id) => scenario.rules.filter((named) => named === id).length > 1,
    )
    for (const id of new Set(twice)) {
      issues.push({
        file: scenario.file,
        line: scenario.line,
        column: 1,
        path: 'rules',
        message: `rule id "${id}" is both positive and negative; one scenario proves one side`,
      })
    }
  }
  return issues
}

/**
 * Each rule with the results of this run that prove it. A rule is covered only when a positive
 * result (its behaviour happens) and a negative one (what it forbids is refused) both passed:
 * one side alone lets a mutant that always allows, or always refuses, pass.
 */
export function ruleCoverage(rules: Rule[], results: ScenarioResult[]): RuleCoverage[] {
  return rules.map((rule) => {
    const proving = results.filter((result) => result.rules.includes(rule.id))
    const negative = proving.filter((result) => result.negativeRules?.includes(rule.id))
    const sides = (negative.length > 0 ? 1 : 0) + (proving.length > negative.length ? 1 : 0)
    const status =
      proving.length === 0
        ? 'uncovered'
        : proving.some((result) => result.status === 'failed')
          ? 'failing'
          : sides === 2
            ? 'covered'
            : 'one-sided'
    return {
      ...rule,
      scenarios: proving.map((result) => result.id),
      negative: negative.map((result) => result.id),
      status,
    }
  })
}
