import { mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { builtInCatalogue, loadScenarios } from '../../harness/engine/load.ts'
import { planRuns } from '../../harness/engine/plan.ts'
import { runScenarios } from '../../harness/engine/runner.ts'
import { browserBudget } from './budget.ts'

/**
 * What Chromium proves over the http driver is the pages and the browser's part: forms posted
 * by script, redirects, cookies, frames and the messenger's and agent console's JavaScript. The
 * server side of every protocol is the http driver's whole catalogue (catalogue.test.ts). So the
 * browser runs each smoke scenario once, the protocols spread so each is clicked through, not
 * all 38 smoke runs (two minutes on a quiet machine). Each row says what it exercises.
 */
const browserSample: Record<string, string> = {
  'agent-sign-in-request-upgrades-guest [oidc]': 'agent console and messenger, by clicks',
  'artifact-resolved-once-over-soap [saml-artifact]': 'artifact redirect, resolved by SOAP',
  'idp-initiated-allowed [saml-post]': 'unsolicited Response, auto-posted form',
  'messenger-no-sign-in-survey-first [saml-post]': 'pre-chat survey form',
  'messenger-optional-signed-in-skips-survey [jwt]': 'messenger of a JWT-signed-in visitor',
  'mfa-campaign-second-factor-signs-in [saml-artifact]': 'second-factor page',
  'replayed-response-refused [saml-post]': 'a posted Response replayed',
  'session-expires-after-48h-inactivity [oidc]': 'cookies across virtual days',
  'sign-in-cancelled [saml-artifact]': "the login form's cancel button",
  'sign-in-return-url [jwt]': 'JWT redirect back to the return URL',
  'sign-in-wrong-password [oidc]': 'the login form refusing, then accepting',
  'silent-sso-connects-when-chat-opens [saml-post]': 'IsPassive from the messenger window',
  'silent-sso-connects-when-chat-opens [oidc]': 'prompt=none from the messenger window',
  'visitor-logout-signs-off-at-idp [saml-artifact]': 'SAML single logout by redirects',
  'visitor-logout-signs-off-at-idp [oidc]': 'OIDC logout at the IdP',
}
const sampleIds = Object.keys(browserSample).sort()
const exactly = (ids: string[]) =>
  `^(?:${ids.map((id) => id.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')).join('|')})$`
const scenarioOf = (runId: string) => runId.replace(/ \[[a-z-]+\]$/, '')

describe('the browser driver (Chromium clicks the real pages)', browserBudget, () => {
  it('passes every smoke scenario once, each protocol clicked through', async () => {
    // The sample stays the smoke scenarios: a new smoke scenario needs its row above.
    const smoke = planRuns(loadScenarios([builtInCatalogue], process.cwd()), {
      driver: 'browser',
      tags: ['smoke'],
    })
    expect(new Set(sampleIds.map(scenarioOf))).toEqual(new Set(smoke.map((run) => run.scenario.id)))
    expect(new Set(sampleIds.map((id) => /\[([a-z-]+)\]$/.exec(id)?.[1]))).toEqual(
      new Set(['saml-post', 'saml-artifact', 'jwt', 'oidc']),
    )
    const { report } = await runScenarios({
      sources: [],
      driver: 'browser',
      seed: 'browser-smoke',
      workers: 1,
      tags: ['smoke'],
      grep: exactly(sampleIds),
    })
    expect(report.scenarios.map((result) => result.id)).toEqual(sampleIds)
    const failed = report.scenarios
      .filter((result) => result.status === 'failed')
      .map(
        (result) =>
          `${result.id}: step ${result.failure?.step} ${result.failure?.message}\n${result.failure?.expected}\n${result.failure?.actual}`,
      )
    expect(failed).toEqual([])
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
    // 15 runs in one Chromium at about three seconds each on an idle machine; four times that
    // and more on two cores under a load of 20.
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
