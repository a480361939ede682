import { execFileSync } from 'node:child_process'
import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import { createPair } from '../../harness/pair.ts'
import { testCredentials } from '../fixtures/in-process.ts'

const root = new URL('../../', import.meta.url)

/** Every source file git knows outside the product (idp/, sp/): harness, cli, tests, scripts… */
function sourcesOutsideProduct(): string[] {
  const listed = execFileSync('git', ['ls-files', '--cached', '--others', '--exclude-standard'], {
    cwd: root,
    encoding: 'utf8',
  })
  return listed
    .split('\n')
    .filter((path) => /\.(ts|tsx|mts|mjs|js)$/.test(path) && !/^(idp|sp)\//.test(path))
}

describe('the product is used through createIdp, createSp and createPair and their facades', () => {
  it('no code outside idp/ and sp/ reaches an internal context', () => {
    const member = 'context'
    // A call (`page.context()`, Playwright's browser context) is not the product's context.
    const reach = new RegExp(`\\.${member}\\b(?!\\s*\\()|\\[\\s*['"\`]${member}['"\`]\\s*\\]`)
    const reaches = sourcesOutsideProduct().flatMap((path) =>
      readFileSync(new URL(path, root), 'utf8')
        .split('\n')
        .flatMap((line, index) =>
          reach.test(line) ? [`${path}:${index + 1}: ${line.trim()}`] : [],
        ),
    )
    // Use the facade (idp/idp-facade.ts, sp/sp-facade.ts); if it lacks something a test, the
    // engine or the CLI truly needs, add that one member there, documented.
    expect(reaches).toEqual([])
  })

  it('the facades hand out exactly their documented members', async () => {
    const keys = await testCredentials()
    const { idp, sp } = createPair({
      idpBaseUrl: 'http://127.0.0.1:7000',
      spBaseUrl: 'http://127.0.0.1:7100',
      idpCredential: keys.idp,
      spCredential: keys.sp,
      log: () => {},
    })
    expect(Object.keys(idp).sort()).toEqual([
      'app',
      'clearQueuedLogins',
      'config',
      'faults',
      'journal',
      'jwtServiceProviders',
      'keys',
      'metadata',
      'oidcClients',
      'queueLogin',
      'queuedLogins',
      'serviceProviders',
      'sessions',
      'users',
    ])
    expect(Object.keys(sp).sort()).toEqual([
      'agentSso',
      'app',
      'campaigns',
      'close',
      'config',
      'contacts',
      'database',
      'metadata',
      'options',
      'sessionCookie',
      'sessions',
    ])
    sp.close()
  })
})
