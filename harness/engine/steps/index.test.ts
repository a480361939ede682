import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import { expectationChecks } from '../expectations/index.ts'
import { parseStep } from '../load.ts'
import { describeStep, stepKinds, stepRegistry } from './index.ts'

const guide = readFileSync(new URL('../../../scenarios/README.md', import.meta.url), 'utf8')

/** The first cells of a markdown table's rows under a heading, as written. */
function firstCells(heading: string): string {
  const section = guide.split(`### ${heading}\n`)[1]?.split('\n\n\n')[0] ?? ''
  const table = section.split(/\n(?=#)/)[0] ?? ''
  return table
    .split('\n')
    .filter((line) => line.startsWith('| `'))
    .map((line) => line.split(' | ')[0])
    .join('\n')
}

describe('the step registry', () => {
  it('has a row in scenarios/README.md for every step keyword and every expectation key', () => {
    const steps = firstCells('Steps')
    const expectations = firstCells('Expectations')
    expect(stepKinds.filter((kind) => !steps.includes(`\`${kind}`))).toEqual([])
    expect(
      Object.keys(expectationChecks).filter((key) => !expectations.includes(`\`${key}:`)),
    ).toEqual([])
  })

  it('parses each keyword with its own schema and describes it from its argument', () => {
    const parsed = parseStep({ 'advance time': '47h59m' })
    expect(parsed).toEqual({ step: { kind: 'advance time', arg: 47 * 3_600_000 + 59 * 60_000 } })
    if ('step' in parsed) expect(describeStep(parsed.step)).toBe('advance time by 1d23h59m')

    const login = parseStep({ 'log in': { user: 'carol', password: 'wrong' } })
    if (!('step' in login)) throw new Error(login.error)
    expect(describeStep(login.step)).toBe('log in at the IdP as carol with a given password')

    expect(parseStep({ 'send message': '' })).toMatchObject({ path: ['send message'] })
    expect(parseStep({ expect: { 'signed inn': true } })).toMatchObject({ path: ['expect'] })
  })

  it('lets exactly the steps whose schema accepts nothing stand alone as a bare keyword', () => {
    for (const kind of stepKinds) {
      const bare = stepRegistry[kind].schema.safeParse(undefined).success
      expect('step' in parseStep(kind), kind).toBe(bare)
    }
  })

  it('marks as portable to ssoproof attack only steps that act through the IdP and the browser', () => {
    const portable = stepKinds.filter((kind) => 'portable' in stepRegistry[kind])
    expect(portable).toEqual(['sign in', 'log in', 'idp-initiated sign in', 'expect'])
  })
})
