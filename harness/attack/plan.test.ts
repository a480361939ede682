import { describe, expect, it } from 'vitest'
import { builtInCatalogue, loadScenarios } from '../engine/load.ts'
import { planAttack } from './plan.ts'

describe('planAttack', () => {
  it('takes every fault scenario of the catalogue for the protocol, and nothing else', () => {
    const withFaults = loadScenarios([builtInCatalogue]).filter(
      (scenario) =>
        (scenario.setup.idp.faults ?? []).length > 0 && scenario.protocols.includes('jwt'),
    )
    const { cases, skipped } = planAttack('jwt', { spInitiated: true })
    expect([...cases.map((attack) => attack.id), ...skipped].sort()).toEqual(
      withFaults.map((scenario) => scenario.id).sort(),
    )
    expect(cases.length).toBeGreaterThan(10)
  })

  it('leaves the InResponseTo faults out of IdP-initiated runs, and filters by id', () => {
    const idpInitiated = planAttack('saml-post', { spInitiated: false })
    expect(idpInitiated.skipped).toContain('forged-saml-in-response-to-other-request')
    expect(idpInitiated.cases.map((attack) => attack.id)).not.toContain(
      'forged-saml-in-response-to-other-request',
    )
    const xsw = planAttack('saml-post', { spInitiated: true, grep: /^forged-saml-xsw\d$/ })
    expect(xsw.cases.map((attack) => attack.id)).toEqual(
      [1, 2, 3, 4, 5, 6, 7, 8].map((variant) => `forged-saml-xsw${variant}`),
    )
  })

  it('reads the expectation, the faults and the catalogue item from the scenario', () => {
    const { cases } = planAttack('saml-post', { spInitiated: true })
    const byId = new Map(cases.map((attack) => [attack.id, attack]))
    expect(byId.get('forged-saml-xsw3')).toMatchObject({
      expect: 'refused',
      referenceAnswer: 'SAML_ASSERTION_COUNT',
      faults: [{ kind: 'saml-xsw', variant: 3 }],
      catalogueItem: 1,
    })
    expect(byId.get('saml-clock-skew-within-tolerance')?.expect).toBe('accepted')
    expect(byId.get('saml-nameid-comment-read-whole')?.expect).toBe('either')
    expect(byId.get('forged-saml-artifact-expired')).toBeUndefined()
    expect(
      planAttack('saml-artifact', { spInitiated: true }).cases.map((attack) => attack.id),
    ).toContain('forged-saml-artifact-expired')
  })
})
