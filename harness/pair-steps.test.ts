import { describe, expect, it } from 'vitest'
import { createManualClock } from '../core/clock/index.ts'
import { idpUrl, spUrl, testCredentials } from '../tests/fixtures/in-process.ts'
import { UserAgent } from './http-driver/user-agent.ts'
import { createPair } from './pair.ts'
import { createPairInSteps } from './pair-in-steps.ts'

describe('createPairInSteps (serve: the IdP answers before the SP has its key)', () => {
  it('serves the IdP metadata at once, then registers the SP it attaches, which signs a visitor in', async () => {
    const keys = await testCredentials()
    const steps = createPairInSteps({
      idpBaseUrl: idpUrl,
      spBaseUrl: spUrl,
      idpCredential: keys.idp,
      // The test credentials are valid from 2030 on.
      clock: createManualClock('2030-01-01T12:00:00Z'),
      log: () => {},
    })
    const metadata = await steps.idp.app.request(`${idpUrl}/saml/metadata`)
    expect(metadata.status).toBe(200)
    expect(await metadata.text()).toContain(keys.idp.certificateBase64)
    expect(steps.idp.serviceProviders.get(`${spUrl}/saml/metadata`)).toBeUndefined()

    const sp = await steps.attach(keys.sp)
    expect(steps.idp.serviceProviders.get(`${spUrl}/saml/metadata`)).toBeDefined()
    expect(sp.metadata()).toContain(keys.sp.certificateBase64)
    const browser = new UserAgent({
      origins: { [idpUrl]: steps.idp.app.fetch, [spUrl]: sp.app.fetch },
    })
    steps.idp.queueLogin('alice')
    await browser.navigate(`${spUrl}/login`)
    const session = await browser.request(`${spUrl}/api/session`)
    expect(JSON.parse(session.html)).toMatchObject({ signedIn: true })
  })

  it('refuses the same bad options as createPair, before making anything', async () => {
    const keys = await testCredentials()
    expect(() =>
      createPairInSteps({
        idpBaseUrl: 'localhost:7000',
        spBaseUrl: spUrl,
        idpCredential: keys.idp,
        log: () => {},
      }),
    ).toThrow(/idpBaseUrl/)
  })

  it('checks the SP settings and unknown keys when attaching, with the message createPair gives', async () => {
    const keys = await testCredentials()
    const base = { idpBaseUrl: idpUrl, spBaseUrl: spUrl, idpCredential: keys.idp, log: () => {} }
    const bad = [
      { sp: { sessionInactivtyMs: 1000 } },
      { sp: { clockSkewMs: '60s' } },
      { idpFrameAncestor: [] },
      { protocol: 'ws-fed' },
    ] as Array<Record<string, unknown>>
    for (const options of bad) {
      const pairError = catchError(() => createPair({ ...base, spCredential: keys.sp, ...options }))
      expect(pairError.message).toMatch(/^CONFIG_INVALID: createPair options: /)
      const steps = createPairInSteps({ ...base, ...options } as never)
      await expect(steps.attach(keys.sp)).rejects.toThrow(pairError.message)
      expect(steps.idp.serviceProviders.get(`${spUrl}/saml/metadata`)).toBeUndefined()
    }
  })
})

function catchError(make: () => unknown): Error {
  try {
    make()
  } catch (error) {
    return error as Error
  }
  throw new Error('no error thrown')
}
