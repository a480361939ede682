import { describe, expect, it } from 'vitest'
import { SsoError } from '../core/errors/index.ts'
import { testCredentials } from '../tests/fixtures/in-process.ts'
import { createSp } from './create-sp.tsx'

/**
 * The SP's outbound fetches (artifact resolution, JWKS, discovery, token, userinfo) go through the
 * outbound policy whatever fetch it was given: the hosts its configuration names, loopback and
 * public addresses; not what a discovery document or metadata points at inside.
 */
describe("the SP's outbound fetch", () => {
  async function spFetch(allowedFetchHosts?: string[]) {
    const keys = await testCredentials()
    const reached: string[] = []
    const sp = createSp({
      baseUrl: 'http://127.0.0.1:7100',
      credential: keys.sp,
      protocol: 'oidc',
      oidc: {
        issuer: 'https://idp.corp.example',
        clientId: 'sp',
        clientSecret: 'a-client-secret-of-length',
        tokenUrl: 'http://10.20.30.40/token',
      },
      fetch: async (input) => {
        reached.push(input instanceof Request ? input.url : String(input))
        return new Response('{}')
      },
      lookup: async (host) => (host === 'keys.corp.example' ? ['10.20.30.41'] : ['93.184.216.34']),
      ...(allowedFetchHosts ? { allowedFetchHosts } : {}),
      log: () => {},
    })
    return { fetchIt: sp.config.fetch, reached }
  }

  async function refusal(call: Promise<Response>): Promise<string | undefined> {
    try {
      await call
      return undefined
    } catch (error) {
      return error instanceof SsoError ? error.code : String(error)
    }
  }

  it('reaches the hosts its configuration names, private ones too, and loopback and public ones', async () => {
    const { fetchIt, reached } = await spFetch()
    for (const url of [
      'https://idp.corp.example/.well-known/openid-configuration',
      'http://10.20.30.40/token',
      'http://127.0.0.1:7000/oidc/jwks',
      'https://www.googleapis.com/oauth2/v3/certs',
    ]) {
      expect(await refusal(fetchIt(url)), url).toBeUndefined()
    }
    expect(reached).toHaveLength(4)
  })

  it('refuses link-local and private hosts a document points at, unless allowed', async () => {
    const { fetchIt, reached } = await spFetch()
    for (const url of [
      'http://169.254.169.254/latest/meta-data/',
      'http://[fd00::1]/jwks',
      'https://keys.corp.example/jwks',
    ]) {
      expect(await refusal(fetchIt(url)), url).toBe('OUTBOUND_HOST_NOT_ALLOWED')
    }
    expect(reached).toEqual([])
    const allowed = await spFetch(['keys.corp.example', '169.254.169.254'])
    expect(await refusal(allowed.fetchIt('https://keys.corp.example/jwks'))).toBeUndefined()
    expect(await refusal(allowed.fetchIt('http://169.254.169.254/'))).toBeUndefined()
  })
})
