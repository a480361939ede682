import { mkdtemp, rm } from 'node:fs/promises'
import { request } from 'node:http'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { parseSpMetadata } from '../core/saml/metadata.ts'
import { createIdp } from '../idp/create-idp.tsx'
import { testCredentials } from '../tests/fixtures/in-process.ts'
import { planListen } from './listen-options.ts'
import { startServe } from './serve.ts'
import { runCli } from './test-support.ts'

const token = 'a-long-enough-admin-token'

describe('listening off loopback', () => {
  it.each([
    ['serve', ['serve', '--host', '0.0.0.0'], '--idp-base-url URL and --sp-base-url URL'],
    ['serve', ['serve', '--host', '::'], '--idp-base-url URL and --sp-base-url URL'],
    [
      'serve',
      ['serve', '--host', '0.0.0.0', '--idp-base-url', 'http://lab.example:7000'],
      '--sp-base-url URL',
    ],
    ['sp', ['sp', '--host', '0.0.0.0', '--saml-metadata', 'x.xml'], '--base-url URL'],
    [
      'attack',
      ['attack', '--host', '0.0.0.0', '--acs', 'http://127.0.0.1:9/acs', '--audience', 'sp'],
      '--idp-base-url URL',
    ],
  ])(
    '%s: 0.0.0.0 and :: need the URLs others use (usage error, exit 2)',
    async (_, args, flags) => {
      const { code, stderr } = await runCli(args)
      expect(code).toBe(2)
      expect(stderr).toContain('listens on every interface')
      expect(stderr).toContain(flags)
    },
  )

  it.each([
    ['serve', ['serve', '--host', '192.0.2.10']],
    ['sp', ['sp', '--host', '192.0.2.10', '--saml-metadata', 'x.xml']],
    [
      'attack',
      ['attack', '--host', '192.0.2.10', '--acs', 'http://127.0.0.1:9/acs', '--audience', 'sp'],
    ],
  ])('%s: a non-loopback address needs an admin token', async (_, args) => {
    const { code, stderr } = await runCli(args)
    expect(code).toBe(2)
    expect(stderr).toContain('reachable from the network: give --admin-token TOKEN')
  })

  it('takes the token from SSOPROOF_ADMIN_TOKEN, checks its length, and warns what is exposed', () => {
    const plan = planListen({
      command: 'serve',
      host: '0.0.0.0',
      baseUrlOptions: {
        'idp-base-url': 'http://lab.example:7000',
        'sp-base-url': 'http://lab.example:7100',
      },
      adminToken: undefined,
      env: { SSOPROOF_ADMIN_TOKEN: token },
    })
    expect(plan.adminToken).toBe(token)
    expect(plan.warnings.join('\n')).toMatch(/listening on 0\.0\.0\.0 \(every interface\)/)
    expect(plan.warnings.join('\n')).not.toContain(token)
    expect(() =>
      planListen({ command: 'sp', host: '127.0.0.1', baseUrlOptions: {}, adminToken: 'short' }),
    ).toThrow(/16 to 256 printable/)
    expect(
      planListen({
        command: 'sp',
        host: '127.0.0.1',
        baseUrlOptions: {},
        adminToken: undefined,
        env: {},
      }),
    ).toEqual({ adminToken: undefined, warnings: [] })
    for (const host of ['localhost', '::1', '[::1]', '127.0.0.2']) {
      expect(
        planListen({ command: 'sp', host, baseUrlOptions: {}, adminToken: undefined, env: {} })
          .warnings,
      ).toEqual([])
    }
  })

  it('every spelling of "every interface" is one, every spelling of loopback is loopback', () => {
    const plan = (host: string) => () =>
      planListen({
        command: 'serve',
        host,
        baseUrlOptions: { 'idp-base-url': undefined },
        adminToken: token,
        env: {},
      })
    for (const host of ['0', '0x0', '0.0.0.0', '00.0.0', '::', '::0', '0:0::0', '::ffff:0.0.0.0']) {
      expect(plan(host), host).toThrow(/listens on every interface/)
    }
    for (const host of ['127.1', '0177.0.0.1', '0x7f.0.0.1', '::ffff:127.0.0.1', 'LOCALHOST']) {
      expect(plan(host)(), host).toEqual({ adminToken: token, warnings: [] })
    }
    for (const host of ['', 'a b', 'evil.example/x', 'user@host']) {
      expect(plan(host), host).toThrow(/no host name or IP address/)
    }
  })

  it('never puts 0.0.0.0 or :: into an entity ID: the factories refuse such a base URL', async () => {
    const keys = await testCredentials()
    for (const baseUrl of ['http://0.0.0.0:7000', 'http://[::]:7000', 'http://0:7000']) {
      expect(() => createIdp({ baseUrl, credential: keys.idp })).toThrow(/every interface/)
    }
  })

  it('serve with base URLs and a token: entity IDs from the base URLs, admin calls need the token', async () => {
    const dataDir = await mkdtemp(join(tmpdir(), 'ssoproof-listen-'))
    const running = await startServe({
      idpPort: 22010,
      spPort: 22011,
      host: '127.0.0.1',
      idpBaseUrl: 'http://localhost:22010',
      spBaseUrl: 'http://localhost:22011',
      adminToken: token,
      dataDir,
      log: () => {},
    })
    try {
      expect(running.idpUrl).toBe('http://localhost:22010')
      const metadata = await (await fetch('http://127.0.0.1:22011/saml/metadata')).text()
      expect(parseSpMetadata(metadata).entityId).toBe('http://localhost:22011/saml/metadata')
      const call = (url: string, authorization?: string) =>
        fetch(url, authorization ? { headers: { authorization } } : {})
      expect((await call('http://127.0.0.1:22010/admin/users')).status).toBe(401)
      expect((await call('http://127.0.0.1:22010/admin/users', `Bearer ${token}`)).status).toBe(200)
      expect((await call('http://127.0.0.1:22011/admin/agents', `Bearer ${token}x`)).status).toBe(
        401,
      )
      // A rebinding name is refused whatever the token (fetch would rewrite Host: node:http).
      const rebound = await new Promise<number>((done, fail) => {
        const sent = request(
          {
            host: '127.0.0.1',
            port: 22010,
            path: '/admin/users',
            headers: { host: 'rebind.example:22010', authorization: `Bearer ${token}` },
          },
          (answer) => {
            answer.resume()
            done(answer.statusCode ?? 0)
          },
        )
        sent.on('error', fail)
        sent.end()
      })
      expect(rebound).toBe(421)
    } finally {
      await running.close()
      await rm(dataDir, { recursive: true, force: true })
    }
  })
})
