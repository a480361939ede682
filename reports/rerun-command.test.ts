import { describe, expect, it } from 'vitest'
import { rerunCommand } from './rerun-command.ts'
import { sampleReport } from './test-support.ts'

describe('rerunCommand', () => {
  it('names the file, the scenario anchored and escaped, the protocol, driver and seed', () => {
    const report = sampleReport()
    const [first] = report.scenarios
    if (!first) throw new Error('fixture changed')
    expect(rerunCommand(first, report.options)).toBe(
      "npx ssoproof run scenarios/catalogue/sign-in.yaml --grep '^sign-in\\.first-time \\[' --protocol saml --driver http --seed 20250314",
    )
  })

  it('quotes what a shell would read otherwise', () => {
    const report = sampleReport()
    const [first] = report.scenarios
    if (!first) throw new Error('fixture changed')
    const command = rerunCommand({ ...first, file: "my scenarios/it's.yaml" }, report.options)
    expect(command).toContain(`'my scenarios/it'\\''s.yaml'`)
  })
})
