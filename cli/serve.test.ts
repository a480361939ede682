import { existsSync } from 'node:fs'
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { afterEach, describe, expect, it } from 'vitest'
import { parseSpMetadata } from '../core/saml/metadata.ts'
import { UserAgent } from '../harness/http-driver/user-agent.ts'
import { cliCommand } from '../tests/fixtures/cli-command.ts'
import { startLoopbackPair } from '../tests/fixtures/loopback-pair.ts'
import { apiSession, signIn, signOut } from '../tests/fixtures/visitor.ts'
import { type RunningServe, startServe } from './serve.ts'

const example = fileURLToPath(new URL('../sp/campaigns/example.yaml', import.meta.url))
const running: RunningServe[] = []
const folders: string[] = []

afterEach(async () => {
  for (const serve of running.splice(0)) await serve.close()
  for (const folder of folders.splice(0)) await rm(folder, { recursive: true, force: true })
})

/** A folder of its own, removed after the test. */
async function freshFolder(): Promise<string> {
  const folder = await mkdtemp(join(tmpdir(), 'ssoproof-serve-'))
  folders.push(folder)
  return folder
}

/** `ssoproof serve` over `dataDir` on ports of the system's choosing, as a user runs it. */
function serveOver(dataDir: string) {
  return cliCommand(['serve', '--data', dataDir, '--idp-port', '0', '--sp-port', '0'])
}

async function start(dataDir: string, ports = { idpPort: 0, spPort: 0 }) {
  const serve = await startServe({
    ...ports,
    host: '127.0.0.1',
    dataDir,
    configFile: example,
    log: () => {},
  })
  running.push(serve)
  return serve
}

describe('ssoproof serve --config', () => {
  it('serves every campaign of the file, and a restart over the same --data keeps sessions and contacts', async () => {
    const dataDir = await mkdtemp(join(tmpdir(), 'ssoproof-serve-'))
    folders.push(dataDir)
    const first = await start(dataDir)
    const { spUrl } = first
    expect(existsSync(join(dataDir, 'sp.sqlite'))).toBe(true)
    expect(first.campaigns).toEqual([
      {
        id: 'support',
        name: 'Customer support',
        protocol: 'saml',
        messengerUrl: `${spUrl}/messenger`,
      },
      { id: 'shop', name: 'Shop', protocol: 'jwt', messengerUrl: `${spUrl}/c/shop/messenger` },
      {
        id: 'community',
        name: 'Community',
        protocol: 'oidc',
        messengerUrl: `${spUrl}/c/community/messenger`,
      },
    ])
    expect(first.agentUrl).toBe(`${spUrl}/agent`)
    expect(first.agentSites).toEqual(['1001', '2002'])

    const metadata = await fetch(`${spUrl}/c/community/saml/metadata`)
    expect(metadata.status).toBe(200)
    expect(parseSpMetadata(await metadata.text()).entityId).toBe(
      `${spUrl}/c/community/saml/metadata`,
    )

    // A real sign-in over loopback at the JWT campaign.
    const browser = new UserAgent()
    await signIn(browser, 'alice', { base: `${spUrl}/c/shop`, returnUrl: '/c/shop/' })
    expect(browser.history.at(-1)?.url).toBe(`${spUrl}/c/shop/`)
    const before = await apiSession(browser, `${spUrl}/c/shop`)
    expect(before.contact).toMatchObject({ externalId: 'alice', email: 'alice@example.com' })
    expect(await apiSession(browser, spUrl)).toEqual({ signedIn: false })

    // The file's agent SSO: dave (no loginName attribute, so his NameID) reaches the console.
    const agent = new UserAgent()
    const idpLogin = await agent.navigate(`${spUrl}/agent/login?site=1001`)
    const consolePage = await agent.submit(
      idpLogin,
      '#login-form',
      { username: 'dave' },
      { name: 'action', value: 'login' },
    )
    expect(consolePage.url).toBe(`${spUrl}/agent`)
    expect(consolePage.document.querySelector('#agent-login-name')?.text).toBe('dave')

    await first.close()
    running.splice(0)
    await expect(fetch(`${spUrl}/api/session`)).rejects.toThrow()

    const second = await start(dataDir, {
      idpPort: Number(new URL(first.idpUrl).port),
      spPort: Number(new URL(spUrl).port),
    })
    expect(second.spUrl).toBe(spUrl)
    const after = await apiSession(browser, `${spUrl}/c/shop`)
    expect(after.signedIn).toBe(true)
    expect(after.contact).toEqual(before.contact)
    // The agent session survived the restart too.
    expect((await agent.navigate(`${spUrl}/agent`)).url).toBe(`${spUrl}/agent`)
  })
})

describe('ssoproof serve: a restart keeps the IdP state (idp.sqlite)', () => {
  it('logs out a visitor signed in before the restart, and keeps a user added through the admin API', async () => {
    const dataDir = await mkdtemp(join(tmpdir(), 'ssoproof-serve-'))
    folders.push(dataDir)
    const first = await start(dataDir)
    const { idpUrl, spUrl } = first
    expect(existsSync(join(dataDir, 'idp.sqlite'))).toBe(true)
    const added = await fetch(`${idpUrl}/admin/users`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ id: 'erin', name: 'Erin', password: 'erin-password' }),
    })
    expect(added.status).toBe(201)
    const browser = new UserAgent()
    await signIn(browser, 'alice', { base: spUrl })
    expect(await apiSession(browser, spUrl)).toMatchObject({ signedIn: true })

    await first.close()
    running.splice(0)
    await start(dataDir, {
      idpPort: Number(new URL(idpUrl).port),
      spPort: Number(new URL(spUrl).port),
    })
    // Single logout through the IdP: it still knows the session and that the SP took part.
    const start2 = browser.history.length
    const done = await signOut(browser, spUrl)
    expect(browser.history.slice(start2).map((hop) => hop.url.split('?')[0])).toContain(
      `${idpUrl}/saml/slo`,
    )
    expect([done.status, done.document.querySelector('#signed-out')?.text]).toEqual([
      200,
      'You are signed out',
    ])
    expect(await apiSession(browser, spUrl)).toEqual({ signedIn: false })
    // The IdP session ended with it: the next sign-in asks who you are.
    const login = await browser.navigate(`${spUrl}/login`)
    expect(login.document.querySelector('#login-form')).not.toBeNull()
    const users = (await (await fetch(`${idpUrl}/admin/users`)).json()) as {
      users: Array<{ id: string }>
    }
    expect(users.users.map((user) => user.id)).toContain('erin')
  })
})

describe('ssoproof serve --config: a campaign signs in at an IdP of its own', () => {
  it('reads its metadata (URL or file), registers nothing at the built-in IdP, and signs visitors in there', async () => {
    const partner = await startLoopbackPair()
    try {
      const dataDir = await mkdtemp(join(tmpdir(), 'ssoproof-serve-'))
      folders.push(dataDir)
      await writeFile(
        join(dataDir, 'partner-idp.xml'),
        await (await fetch(`${partner.idpUrl}/saml/metadata`)).text(),
      )
      const config = join(dataDir, 'campaigns.yaml')
      await writeFile(
        config,
        [
          'campaigns:',
          '  - id: support',
          '  - id: partner',
          `    idpMetadata: ${partner.idpUrl}/saml/metadata`,
          '    mappings: [{ attribute: email, field: email }]',
          '  - id: partner-file',
          '    idpMetadata: partner-idp.xml',
          '',
        ].join('\n'),
      )
      const serve = await startServe({
        idpPort: 0,
        spPort: 0,
        host: '127.0.0.1',
        dataDir,
        configFile: config,
        log: () => {},
      })
      running.push(serve)
      const { spUrl } = serve
      const partnerEntityId = `${partner.idpUrl}/saml/metadata`
      expect(serve.campaigns.map((campaign) => [campaign.id, campaign.externalIdp])).toEqual([
        ['support', undefined],
        [
          'partner',
          { entityId: partnerEntityId, spMetadataUrl: `${spUrl}/c/partner/saml/metadata` },
        ],
        [
          'partner-file',
          { entityId: partnerEntityId, spMetadataUrl: `${spUrl}/c/partner-file/saml/metadata` },
        ],
      ])
      // The built-in IdP knows the root campaign's SP, not the partner campaigns'.
      const { serviceProviders: registered } = (await (
        await fetch(`${serve.idpUrl}/admin/service-providers`)
      ).json()) as { serviceProviders: Array<{ entityId: string }> }
      expect(registered.map((sp) => sp.entityId)).toContain(`${spUrl}/saml/metadata`)
      expect(registered.map((sp) => sp.entityId)).not.toContain(`${spUrl}/c/partner/saml/metadata`)

      // Registered at the partner IdP, the campaign signs a visitor in there.
      for (const id of ['partner', 'partner-file']) {
        const answer = await partner.pair.idp.app.request('/admin/service-providers', {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ metadataUrl: `${spUrl}/c/${id}/saml/metadata` }),
        })
        expect(answer.status).toBe(201)
      }
      const browser = new UserAgent()
      const login = await browser.navigate(`${spUrl}/c/partner/login?return_url=/c/partner/`)
      expect(login.url.startsWith(`${partner.idpUrl}/saml/sso`)).toBe(true)
      await browser.submit(
        login,
        '#login-form',
        { username: 'bob' },
        { name: 'action', value: 'login' },
      )
      expect(browser.history.at(-1)?.url).toBe(`${spUrl}/c/partner/`)
      const session = await apiSession(browser, `${spUrl}/c/partner`)
      expect(session.subject).toMatchObject({ nameId: 'bob', issuer: partnerEntityId })
      expect(session.contact).toMatchObject({ externalId: 'bob', email: 'bob@example.com' })
      // The root campaign still signs in at the built-in IdP.
      const root = await browser.navigate(`${spUrl}/login`)
      expect(root.url.startsWith(`${serve.idpUrl}/saml/sso`)).toBe(true)

      const fromFile = new UserAgent()
      const fileLogin = await fromFile.navigate(`${spUrl}/c/partner-file/login`)
      await fromFile.submit(
        fileLogin,
        '#login-form',
        { username: 'alice' },
        { name: 'action', value: 'login' },
      )
      expect((await apiSession(fromFile, `${spUrl}/c/partner-file`)).subject?.issuer).toBe(
        partnerEntityId,
      )
    } finally {
      await partner.close()
    }
  })

  it('stops with a usage error naming the campaign when its IdP metadata cannot be read', async () => {
    const dataDir = await mkdtemp(join(tmpdir(), 'ssoproof-serve-'))
    folders.push(dataDir)
    const config = join(dataDir, 'campaigns.yaml')
    await writeFile(
      config,
      'campaigns:\n  - id: support\n  - id: partner\n    idpMetadata: missing.xml\n',
    )
    await expect(
      startServe({ idpPort: 0, spPort: 0, host: '127.0.0.1', dataDir, configFile: config }),
    ).rejects.toThrow(
      `campaign partner: idpMetadata: cannot read the file "${join(dataDir, 'missing.xml')}" (ENOENT)`,
    )
    expect(existsSync(join(dataDir, 'sp.sqlite'))).toBe(false)
  })
})

describe('ssoproof serve --config with a bad file', () => {
  it('exits 1 before listening, naming the file, line and setting', async () => {
    const dataDir = await mkdtemp(join(tmpdir(), 'ssoproof-serve-'))
    folders.push(dataDir)
    const config = join(dataDir, 'campaigns.yaml')
    await writeFile(config, 'campaigns:\n  - id: support\n  - id: shop\n    protocol: ldap\n')
    const { code, stderr } = await cliCommand([
      'serve',
      '--config',
      config,
      '--data',
      dataDir,
      '--sp-port',
      '0',
    ])
    expect(code).toBe(1)
    expect(stderr).toContain(`CONFIG_INVALID: ${config}:4:15 campaigns.1.protocol: Invalid option`)
    expect(existsSync(join(dataDir, 'sp.sqlite'))).toBe(false)
  })
})

describe('ssoproof serve: a database file it cannot use', () => {
  it.each(['idp.sqlite', 'sp.sqlite'])(
    'exits 1 with STORE_UNUSABLE naming %s, and leaves the file as it was',
    async (name) => {
      const dataDir = await freshFolder()
      const file = join(dataDir, name)
      const text = 'kept by hand: not a database\n'.repeat(100)
      await writeFile(file, text)
      const { code, stderr } = await serveOver(dataDir)
      expect(code).toBe(1)
      const owner = name === 'idp.sqlite' ? 'IdP' : 'SP'
      expect(stderr).toContain(
        `STORE_UNUSABLE: the ${owner} database ${file} cannot be used: it is not an SQLite database`,
      )
      expect(await readFile(file, 'utf8')).toBe(text)
    },
  )
})

describe('ssoproof serve: a key or certificate in --data it cannot use', () => {
  it.each([
    ['idp-signing.key.pem', 'the private key is not an unencrypted PEM private key'],
    ['sp-signing.key.pem', 'the private key is not an unencrypted PEM private key'],
    ['sp-signing.crt.pem', 'not a DER-encoded X.509 certificate'],
  ])('exits 1 with CONFIG_INVALID naming %s, never an unhandled rejection', async (name, why) => {
    const dataDir = await freshFolder()
    await (await start(dataDir)).close()
    running.length = 0
    const file = join(dataDir, name)
    await writeFile(file, name.endsWith('.crt.pem') ? 'bm90IGEgY2VydGlmaWNhdGU=\n' : 'garbage\n')
    const { code, stderr } = await serveOver(dataDir)
    expect(code).toBe(1)
    expect(stderr).toContain(`CONFIG_INVALID: ${file}: `)
    expect(stderr).toContain(why)
  })
})

describe('ssoproof serve: a --data folder it cannot make', () => {
  it.each([
    [
      'under a file',
      (base: string) => join(base, 'file', 'data'),
      'a file stands where a folder of its path should be (ENOTDIR)',
    ],
    [
      'under /proc (Node 20 recursive mkdir never returns there)',
      () => '/proc/ssoproof-no-such-folder',
      'the file system there holds no new folders (ENOENT)',
    ],
  ])('exits 1 with CONFIG_INVALID: %s', async (_where, folderIn, why) => {
    const base = await freshFolder()
    await writeFile(join(base, 'file'), '')
    const dataDir = folderIn(base)
    const { code, stderr } = await serveOver(dataDir)
    expect(code).toBe(1)
    expect(stderr).toContain(`CONFIG_INVALID: the data folder ${dataDir} cannot be made: ${why}`)
  })
})
