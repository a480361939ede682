import { existsSync, readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { parse as parseYaml } from 'yaml'
import * as z from 'zod'
import { parseConfig } from '../../core/config/parse-config.ts'

/**
 * The mutants kept in the repository: `scenarios/mutants/<rule-id>.yaml`, each a list of small
 * realistic source changes the rule's scenarios must catch. `find` must occur exactly once in
 * `file` (checked when the mutant is applied, so a stale mutant shows as invalid, not as killed).
 */
export const mutantFileSchema = z
  .array(
    z
      .object({
        /** The source file, relative to the repository root, e.g. `sp/accounts/sync.ts`. */
        file: z.string().regex(/^[a-z0-9][\w./-]*\.(ts|tsx)$/, 'a .ts/.tsx path in the repository'),
        /** Text found exactly once in the file. */
        find: z.string().min(1),
        /** What the mistake makes of it. */
        replace: z.string(),
        /** The realistic mistake this stands for, in one line. */
        why: z.string().min(1),
      })
      .strict()
      .refine((mutant) => mutant.find !== mutant.replace, {
        message: 'replace must differ from find',
        path: ['replace'],
      }),
  )
  .min(1)

export type MutantInput = z.infer<typeof mutantFileSchema>[number]

export interface Mutant extends MutantInput {
  rule: string
  /** `<rule>#<n>`, 1-based within the rule's file. */
  id: string
}

/** Every mutant of the folder, rule by rule in file-name order; unknown rule ids are an error. */
export function loadMutants(dir: string, ruleIds: Set<string>): Mutant[] {
  if (!existsSync(dir)) return []
  const mutants: Mutant[] = []
  for (const name of readdirSync(dir)
    .filter((entry) => entry.endsWith('.yaml'))
    .sort()) {
    const rule = name.slice(0, -'.yaml'.length)
    const path = join(dir, name)
    if (!ruleIds.has(rule)) {
      throw new Error(
        `${path}: no rule "${rule}" in scenarios/rules.yaml (name the file <rule-id>.yaml)`,
      )
    }
    const list = parseConfig(mutantFileSchema, parseYaml(readFileSync(path, 'utf8')), path)
    for (const [index, mutant] of list.entries()) {
      mutants.push({ ...mutant, rule, id: `${rule}#${index + 1}` })
    }
  }
  return mutants
}

/** The file's text with the mutant applied, or why it cannot be (its text is not there once). */
export function applyMutant(
  source: string,
  mutant: MutantInput,
): { text: string } | { invalid: string } {
  const first = source.indexOf(mutant.find)
  if (first === -1) return { invalid: `its find text is no longer in ${mutant.file}` }
  if (source.indexOf(mutant.find, first + 1) !== -1) {
    return { invalid: `its find text occurs more than once in ${mutant.file}; make it unique` }
  }
  return {
    text: source.slice(0, first) + mutant.replace + source.slice(first + mutant.find.length),
  }
}
