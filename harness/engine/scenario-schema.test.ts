import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import { scenarioFileJsonSchema } from './scenario-schema.ts'
import { stepKinds } from './steps/index.ts'

describe('scenarios/scenario.schema.json', () => {
  const published = JSON.parse(
    readFileSync(new URL('../../scenarios/scenario.schema.json', import.meta.url), 'utf8'),
  )

  it('is current: regenerate it with `npm run schemas` when this fails', () => {
    expect(published).toEqual(scenarioFileJsonSchema())
  })

  it('offers every step keyword to editors', () => {
    const text = JSON.stringify(published)
    for (const kind of stepKinds) expect(text, kind).toContain(`"${kind}"`)
  })
})
