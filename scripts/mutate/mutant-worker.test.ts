import { afterAll, describe, expect, it } from 'vitest'
import { packageRoot } from '../../core/package/index.ts'
import { MutantWorker } from './run-mutant.ts'
import { copyTree } from './tree-copy.ts'

// One tree copy and its long-lived worker: the same process judges mutants one after another,
// each seeing its own change and none of the one before.
const copies = copyTree(packageRoot(), 1)
const worker = new MutantWorker(copies.paths[0] as string)
afterAll(() => {
  worker.close()
  copies.remove()
})
const never = new AbortController().signal
const routing = {
  rule: 'routing-first-match',
  file: 'sp/messenger/routing.ts',
  find: 'routing.rules.find((rule) => holds(rule, profile))',
}

describe('a mutant worker', () => {
  it('kills a mutant its rule catches, then lets the unmutated code through for the next', async () => {
    const last = await worker.run(
      {
        ...routing,
        id: 'routing-first-match#t1',
        replace: 'routing.rules.findLast((rule) => holds(rule, profile))',
        why: 'the last match wins',
      },
      never,
    )
    expect(last.verdict).toMatchObject({ kind: 'killed' })
    // The same text with a redundant check: every scenario passes, so it survives — which
    // shows the file was put back and reloaded, not left mutated from the first run.
    const same = await worker.run(
      {
        ...routing,
        id: 'routing-first-match#t2',
        replace: 'routing.rules.find((rule) => holds(rule, profile) && rule !== undefined)',
        why: 'an equivalent change',
      },
      never,
    )
    expect(same.verdict).toMatchObject({ kind: 'survived' })
  }, 240_000)

  it('calls a mutant of a file the rule never loads invalid, never killed', async () => {
    const outcome = await worker.run(
      {
        rule: 'routing-first-match',
        id: 'routing-first-match#t3',
        file: 'cli/main.ts',
        find: 'export',
        replace: 'export ',
        why: 'a file outside the rule',
      },
      never,
    )
    expect(outcome.verdict.kind).toBe('invalid')
  }, 240_000)
})
