import { generateKeyPairSync } from 'node:crypto'
import { describe, expect, it } from 'vitest'
import { isSsoError } from '../core/errors/index.ts'
import { idpUrl, testCredentials } from '../tests/fixtures/in-process.ts'
import { createIdp } from './create-idp.tsx'
import type { IdpOptions } from './options.ts'

async function create(extra: Record<string, unknown>) {
  const keys = await testCredentials()
  return () =>
    createIdp({ baseUrl: idpUrl, credential: keys.idp, log: () => {}, ...extra } as IdpOptions)
}

/** The CONFIG_INVALID reason createIdp throws with these options. */
async function refusal(extra: Record<string, unknown>): Promise<string> {
  try {
    ;(await create(extra))()
  } catch (error) {
    if (isSsoError(error) && error.code === 'CONFIG_INVALID') return error.reason
    throw error
  }
  throw new Error('createIdp accepted the options')
}

describe('createIdp options: one strict schema for the whole object', () => {
  it.each([
    [
      { sessionLifetmeMs: 1000 },
      '(root): Unrecognized key: "sessionLifetmeMs"; "sessionLifetmeMs": did you mean "sessionLifetimeMs"?',
    ],
    [{ artifactLifetimeMs: -1 }, 'artifactLifetimeMs: at least 1 ms'],
    [{ artifactLifetimeMs: '60s' }, 'artifactLifetimeMs: a number of milliseconds'],
    [{ sessionLifetimeMs: 1.5 }, 'sessionLifetimeMs: a whole number of milliseconds'],
    [{ baseUrl: 'not a url' }, 'baseUrl: an absolute http(s) URL'],
    [{ baseUrl: 'ftp://idp.example' }, 'baseUrl: an absolute http(s) URL'],
    [{ entityId: '' }, 'entityId: '],
    [
      { users: [{ id: 'erin', name: 'Erin', emial: 'e@x' }] },
      'users.0: Unrecognized key: "emial"; "emial": did you mean "email"?',
    ],
    [{ serviceProviders: [{ entityId: 'sp' }] }, 'serviceProviders.0.assertionConsumerServices: '],
    [{ faults: [{ kind: 'saml-xsw', variant: 9 }] }, 'faults.0.variant: '],
  ])('refuses %o naming the setting', async (extra, expected) => {
    expect(await refusal(extra)).toContain(`createIdp options: ${expected}`)
  })

  it.each([
    [{ credential: {} }, 'credential: a credential from core/keys'],
    [{ clock: { now: 5 } }, 'clock: a clock'],
    [{ random: Math.random }, 'random: a random source'],
    [{ fetch: 'http://proxy' }, 'fetch: a fetch function'],
    [{ log: console }, 'log: a function'],
    [
      { ecSigningKey: generateKeyPairSync('ec', { namedCurve: 'P-256' }).publicKey },
      'ecSigningKey: a private KeyObject',
    ],
  ])('checks an injected value by its shape: %o', async (extra, expected) => {
    expect(await refusal(extra)).toContain(`createIdp options: ${expected}`)
  })

  it('fills every default in and keeps the base URL without its trailing slash', async () => {
    const idp = (await create({ baseUrl: `${idpUrl}//` }))()
    expect(idp.config).toMatchObject({
      baseUrl: idpUrl,
      entityId: `${idpUrl}/saml/metadata`,
      issuer: idpUrl,
      sessionLifetimeMs: 8 * 3_600_000,
      artifactLifetimeMs: 60_000,
    })
    expect(idp.config.urls.sso).toBe(`${idpUrl}/saml/sso`)
    expect(idp.users.list().map((user) => user.id)).toEqual(['alice', 'bob', 'carol', 'dave'])
  })
})
