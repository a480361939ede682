import { describe, expect, it } from 'vitest'
import { isSsoError } from '../core/errors/index.ts'
import { idpUrl, spUrl, testCredentials } from '../tests/fixtures/in-process.ts'
import { createPair, type PairOptions } from './pair.ts'

async function refusal(extra: Record<string, unknown>): Promise<string> {
  const keys = await testCredentials()
  try {
    createPair({
      idpBaseUrl: idpUrl,
      spBaseUrl: spUrl,
      idpCredential: keys.idp,
      spCredential: keys.sp,
      log: () => {},
      ...extra,
    } as PairOptions)
  } catch (error) {
    if (isSsoError(error) && error.code === 'CONFIG_INVALID') return error.reason
    throw error
  }
  throw new Error('createPair accepted the options')
}

describe('createPair options: one strict schema, the SP part checked by its own shape', () => {
  it.each([
    [
      { spBaseURL: spUrl },
      '(root): Unrecognized key: "spBaseURL"; "spBaseURL": did you mean "spBaseUrl"?',
    ],
    [{ idpBaseUrl: 'localhost:7000' }, 'idpBaseUrl: an absolute http(s) URL'],
    [{ protocol: 'saml2' }, 'protocol: '],
    [{ jwt: { algorithm: 'none' } }, 'jwt.algorithm: '],
    [
      { sp: { sessionInactivtyMs: 5 } },
      'sp: Unrecognized key: "sessionInactivtyMs"; "sessionInactivtyMs": did you mean "sessionInactivityMs"?',
    ],
    [{ sp: { clockSkewMs: '60s' } }, 'sp.clockSkewMs: a number of milliseconds'],
    [{ sp: { baseUrl: spUrl } }, 'sp: Unrecognized key: "baseUrl"'],
    [{ users: [{ id: 'erin' }] }, 'users.0.name: '],
  ])('refuses %o naming the setting', async (extra, expected) => {
    expect(await refusal(extra)).toContain(`createPair options: ${expected}`)
  })
})
