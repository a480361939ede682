import { mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { runScenarios } from '../../harness/engine/runner.ts'
import { browserBudget } from './budget.ts'

describe('the browser driver (Chromium clicks the real pages)', browserBudget, () => {
  it('passes the smoke subset of the built-in catalogue', async () => {
    const { report } = await runScenarios({
      sources: [],
      driver: 'browser',
      seed: 'browser-smoke',
      workers: 1,
      tags: ['smoke'],
    })
    const failed = report.scenarios
      .filter((result) => result.status === 'failed')
      .map(
        (result) =>
          `${result.id}: step ${result.failure?.step} ${result.failure?.message}\n${result.failure?.expected}\n${result.failure?.actual}`,
      )
    expect(failed).toEqual([])
    expect(report.summary.total).toBeGreaterThanOrEqual(6)
    // The messenger and the agent console are clicked through in Chromium too.
    expect(report.scenarios.map((result) => result.id)).toContain(
      'agent-sign-in-request-upgrades-guest [oidc]',
    )

    // Chromium signs in by HTTP-Artifact and logs out by SAML single logout.
    const artifactLogout = report.scenarios.find(
      (result) => result.id === 'visitor-logout-signs-off-at-idp [saml-artifact]',
    )
    expect(artifactLogout?.status).toBe('passed')
    const urls = artifactLogout?.steps.flatMap((step) => step.trace.map((entry) => entry.url)) ?? []
    expect(urls.some((url) => url.endsWith('/saml/artifact'))).toBe(true)
    expect(urls.some((url) => /\/saml\/slo\?SAMLRequest=/.test(url))).toBe(true)
    expect(urls.some((url) => /\/saml\/slo\?SAMLResponse=/.test(url))).toBe(true)
    for (const result of report.scenarios) {
      expect(result.driver).toBe('browser')
      // The servers saw the browser's requests on loopback: the trace is not empty.
      expect(result.steps.flatMap((step) => step.trace).length, result.id).toBeGreaterThan(0)
    }
    // About 30 runs in one Chromium at about a second each on an idle machine; four times that
    // and more on two cores under a load of 20, where 120 s ran out.
  }, 600_000)

  it('takes a screenshot of the page when a step fails', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'ssoproof-browser-fail-'))
    writeFileSync(
      join(dir, 'fails.yaml'),
      'id: fails-in-browser\ntitle: Wrong on purpose\nsteps:\n  - sign in\n  - log in: alice\n  - expect: { signed in as: carol }\n',
    )
    const { report, screenshots } = await runScenarios({
      sources: [join(dir, 'fails.yaml')],
      driver: 'browser',
      seed: 'browser-fail',
      workers: 1,
    })
    const [result] = report.scenarios
    expect(result?.status).toBe('failed')
    const failing = result?.steps.find((step) => step.status === 'failed')
    expect(failing?.actual).toBe('signed in as: alice')
    expect(failing?.screenshot).toMatch(/^screenshots\/.+\.png$/)
    const png = screenshots[failing?.screenshot ?? '']
    expect(png && Buffer.from(png).subarray(1, 4).toString()).toBe('PNG')
  })
})
