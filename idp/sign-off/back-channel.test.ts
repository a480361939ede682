import { describe, expect, it } from 'vitest'
import { idpUrl, testCredentials } from '../../tests/fixtures/in-process.ts'
import { createIdpContext } from '../create-context.ts'
import { resolveIdpOptions } from '../options.ts'
import { postLogoutToken } from './back-channel.ts'

/** An IdP's context whose outbound fetch records where it went and answers 200. */
async function world() {
  const keys = await testCredentials()
  const reached: string[] = []
  const { resolved, seeds } = resolveIdpOptions({
    baseUrl: idpUrl,
    credential: keys.idp,
    log: () => {},
    // Names resolve without DNS: intranet.corp to a private address, the rest to public ones.
    lookup: async (host) => [host === 'intranet.corp' ? '10.1.2.3' : '93.184.215.14'],
    fetch: async (input) => {
      reached.push(String(input))
      return new Response(null, { status: 200 })
    },
    oidcClients: [
      {
        clientId: 'configured',
        redirectUris: ['http://10.9.9.9/cb'],
        backchannelLogoutUri: 'http://10.9.9.9/logout',
      },
    ],
  })
  return { ctx: createIdpContext(resolved, seeds), reached }
}

describe('logout tokens go through the outbound policy (catalogue case 36)', () => {
  it('a link-local, private or special URL (as an admin-registered client could name) is never reached', async () => {
    const { ctx, reached } = await world()
    for (const url of [
      'http://169.254.169.254/latest/meta-data',
      'http://[fe80::1]/logout',
      'http://192.168.1.1/logout',
      'http://0x7f000001/logout',
      'http://intranet.corp/logout',
      'http://[::ffff:10.0.0.1]/logout',
    ]) {
      const answer = await postLogoutToken(ctx, url, 'a.b.c')
      const refused =
        answer.outcome === 'failed' && answer.detail.includes('OUTBOUND_HOST_NOT_ALLOWED')
      // 0x7f000001 is 127.0.0.1: loopback is the product's own use and is reached.
      expect(refused, url).toBe(!url.includes('0x7f000001'))
    }
    expect(reached).toEqual(['http://0x7f000001/logout'])
  })

  it('loopback, public hosts and the hosts the configuration names are reached', async () => {
    const { ctx, reached } = await world()
    for (const url of [
      'http://127.0.0.1:7100/oidc/backchannel-logout',
      'https://rp.example/logout',
      'http://10.9.9.9/logout',
    ]) {
      expect(await postLogoutToken(ctx, url, 'a.b.c')).toEqual({ outcome: 'confirmed' })
    }
    expect(reached).toHaveLength(3)
  })
})
