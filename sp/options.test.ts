import { describe, expect, it } from 'vitest'
import { isSsoError } from '../core/errors/index.ts'
import { idpUrl, spUrl, testCredentials } from '../tests/fixtures/in-process.ts'
import { createSp } from './create-sp.tsx'
import type { SpOptions } from './options.ts'

const idp = {
  entityId: `${idpUrl}/saml/metadata`,
  ssoUrl: `${idpUrl}/saml/sso`,
  certificates: [],
}

async function create(extra: Record<string, unknown>) {
  const keys = await testCredentials()
  return () =>
    createSp({ baseUrl: spUrl, credential: keys.sp, idp, log: () => {}, ...extra } as SpOptions)
}

/** The CONFIG_INVALID reason createSp throws with these options. */
async function refusal(extra: Record<string, unknown>): Promise<string> {
  try {
    ;(await create(extra))()
  } catch (error) {
    if (isSsoError(error) && error.code === 'CONFIG_INVALID') return error.reason
    throw error
  }
  throw new Error('createSp accepted the options')
}

describe('createSp options: one strict schema for the whole object', () => {
  it.each([
    [
      { sessionInactivtyMs: 1000 },
      '(root): Unrecognized key: "sessionInactivtyMs"; "sessionInactivtyMs": did you mean "sessionInactivityMs"?',
    ],
    [{ sessionInactivityMs: -5 }, 'sessionInactivityMs: at least 1 ms'],
    [{ baseUrl: 'not a url' }, 'baseUrl: an absolute http(s) URL'],
    [{ clockSkewMs: '60s' }, 'clockSkewMs: a number of milliseconds'],
    [{ clockSkewMs: -1 }, 'clockSkewMs: at least 0 ms'],
    [{ pendingRequestLifetimeMs: 0 }, 'pendingRequestLifetimeMs: at least 1 ms'],
    [{ wantAssertionsSigned: 'yes' }, 'wantAssertionsSigned: '],
    [{ idp: { ...idp, ssoUrl: 'javascript:alert(1)' } }, 'idp.ssoUrl: an absolute http(s) URL'],
    [
      { idp: { ...idp, sloURL: `${idpUrl}/slo` } },
      'idp: Unrecognized key: "sloURL"; "sloURL": did you mean "sloUrl"?',
    ],
    [{ idp: undefined }, 'idp: protocol saml needs the idp settings'],
    [{ protocol: 'jwt' }, 'jwt: protocol jwt needs the jwt settings'],
    [{ campaign: { signIn: 'always' } }, 'campaign.signIn: '],
    [
      { campaigns: [{ id: 'shop', sessionInactivtyMs: 5 }] },
      'campaigns.0: Unrecognized key: "sessionInactivtyMs"; "sessionInactivtyMs": did you mean "sessionInactivityMs"?',
    ],
    [
      { campaigns: [{ id: 'shop', protocol: 'oidc' }] },
      'campaigns.0.oidc: protocol oidc needs the oidc settings',
    ],
    [{ campaigns: [{ id: 'default' }] }, 'campaigns.0.id: campaign "default" is defined twice'],
    [{ checkAll: true }, 'checkAll: checkAll needs diagnostics'],
  ])('refuses %o naming the setting', async (extra, expected) => {
    expect(await refusal(extra)).toContain(`createSp options: ${expected}`)
  })

  it.each([
    [{ credential: { privateKey: 'PEM' } }, 'credential: a credential from core/keys'],
    [{ encryptionCredential: 'key.pem' }, 'encryptionCredential: a credential from core/keys'],
    [{ clock: 1_893_456_000_000 }, 'clock: a clock'],
    [{ database: ':memory:' }, 'database: an SP database'],
    [{ fetch: {} }, 'fetch: a fetch function'],
  ])('checks an injected value by its shape: %o', async (extra, expected) => {
    expect(await refusal(extra)).toContain(`createSp options: ${expected}`)
  })

  it('fills every default in; a campaign takes the root settings it leaves unset', async () => {
    const sp = (
      await create({
        clockSkewMs: 5_000,
        campaigns: [{ id: 'shop', sessionInactivityMs: 60_000 }],
      })
    )()
    expect(sp.config).toMatchObject({
      baseUrl: spUrl,
      entityId: `${spUrl}/saml/metadata`,
      protocol: 'saml',
      clockSkewMs: 5_000,
      sessionInactivityMs: 48 * 3_600_000,
      wantAssertionsSigned: true,
      allowUnsolicited: false,
    })
    expect(sp.campaigns.get('shop')?.config).toMatchObject({
      baseUrl: `${spUrl}/c/shop`,
      entityId: `${spUrl}/c/shop/saml/metadata`,
      clockSkewMs: 5_000,
      sessionInactivityMs: 60_000,
    })
    sp.close()
  })
})
