import { mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { loadRules } from '../../harness/engine/rules.ts'
import { applyMutant, loadMutants } from './mutants.ts'

const mutant = {
  file: 'sp/x.ts',
  find: 'left > limit',
  replace: 'left >= limit',
  why: 'off by one',
}

describe('mutants', () => {
  it('applies a mutant whose text occurs exactly once, and only there', () => {
    expect(applyMutant('if (left > limit) return', mutant)).toEqual({
      text: 'if (left >= limit) return',
    })
  })

  it('makes a stale or ambiguous mutant invalid rather than applying it somewhere', () => {
    expect(applyMutant('if (left > max) return', mutant)).toEqual({
      invalid: 'its find text is no longer in sp/x.ts',
    })
    expect(applyMutant('left > limit || left > limit', mutant)).toEqual({
      invalid: 'its find text occurs more than once in sp/x.ts; make it unique',
    })
  })

  it('loads a folder of <rule-id>.yaml files and refuses an unknown rule or a bad field', () => {
    const dir = mkdtempSync(join(tmpdir(), 'ssoproof-mutants-'))
    writeFileSync(join(dir, 'routing.yaml'), `- { file: sp/r.ts, find: a, replace: b, why: w }\n`)
    expect(loadMutants(dir, new Set(['routing'])).map((m) => [m.id, m.file])).toEqual([
      ['routing#1', 'sp/r.ts'],
    ])
    expect(() => loadMutants(dir, new Set(['other']))).toThrow('no rule "routing"')
    writeFileSync(join(dir, 'routing.yaml'), `- { file: sp/r.ts, find: a, replace: a, why: w }\n`)
    expect(() => loadMutants(dir, new Set(['routing']))).toThrow('replace must differ from find')
  })

  it('keeps every mutant in the repository valid: a known rule, its text once in its file', async () => {
    const { readFileSync } = await import('node:fs')
    const { packagePath } = await import('../../core/package/index.ts')
    const rules = new Set(loadRules().map((rule) => rule.id))
    const mutants = loadMutants(packagePath('scenarios', 'mutants'), rules)
    expect(mutants.length).toBeGreaterThan(0)
    const stale = mutants.flatMap((m) => {
      const applied = applyMutant(readFileSync(packagePath(m.file), 'utf8'), m)
      return 'invalid' in applied ? [`${m.id}: ${applied.invalid}`] : []
    })
    expect(stale).toEqual([])
  })
})
