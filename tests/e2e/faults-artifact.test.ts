import { describe, expect, it } from 'vitest'
import { clearCookies, expectAccepted, expectRefused, pairWithFaults } from './faults-support.ts'

const artifactPair = () => pairWithFaults([], { spRegistration: { responseBinding: 'artifact' } })

describe('HTTP-Artifact faults: the reference SP refuses each with its own code, nothing stored', () => {
  it.each([
    ['replay', 'SAML_REPLAY'],
    ['expired', 'SAML_ARTIFACT_NOT_RESOLVED'],
    ['wrong-source-id', 'SAML_ARTIFACT_UNKNOWN_SOURCE'],
    ['wrong-in-response-to', 'SAML_ARTIFACT_RESPONSE_INVALID'],
  ] as const)('%s → %s, after an accepted sign-in', async (fault, code) => {
    const pair = await artifactPair()
    const agent = pair.agent()
    await expectAccepted(pair, agent)
    await clearCookies(agent)
    pair.idp.faults.add({ kind: 'saml-artifact', fault, remaining: 1 })
    await expectRefused(pair, agent, code)
    await expectAccepted(pair, agent)
  })

  it('an artifact replayed is the very SAMLart of the sign-in before', async () => {
    const pair = await artifactPair()
    const agent = pair.agent()
    await expectAccepted(pair, agent)
    await clearCookies(agent)
    pair.idp.faults.add({ kind: 'saml-artifact', fault: 'replay' })
    await expectRefused(pair, agent, 'SAML_REPLAY')
    const samlarts = agent.history
      .filter((entry) => entry.url.includes('SAMLart='))
      .map((entry) => new URL(entry.url).searchParams.get('SAMLart'))
    expect(samlarts).toHaveLength(2)
    expect(samlarts[1]).toBe(samlarts[0])
  })

  it('Response faults reach an artifact SP too: XSW4 → SAML_ASSERTION_COUNT', async () => {
    const pair = await artifactPair()
    pair.idp.faults.add({ kind: 'saml-xsw', variant: 4 })
    await expectRefused(pair, pair.agent(), 'SAML_ASSERTION_COUNT')
  })

  it('replay without an earlier artifact does nothing but log it', async () => {
    const pair = await artifactPair()
    pair.idp.faults.add({ kind: 'saml-artifact', fault: 'replay', remaining: 1 })
    await expectAccepted(pair, pair.agent())
    expect(pair.log).toContain(
      'IdP fault saml-artifact replay: no earlier artifact of http://127.0.0.1:7100/saml/metadata',
    )
  })
})
