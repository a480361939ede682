import { describe, expect, it } from 'vitest'
import { runCheckTable } from '../../core/checks/run-check-table.ts'
import { refusalOf } from '../../tests/fixtures/acs-context.ts'
import { checkIdpBase, checkIdpContext, checkKeys } from '../../tests/fixtures/idp-check-context.ts'
import { type EndSessionChecks, endSessionChecks, hintInvalid } from './end-session-checks.ts'

/**
 * Each row of RP-initiated logout's check table (endSessionChecks), passed and refused with its
 * code. The hint's signature is verified before the table (end-session.tsx; the provider test
 * sends forged hints); here each row gets the verified claims it reads.
 */
const issuer = checkIdpBase
const keys = checkKeys()

function run(params: EndSessionChecks['params'], claims?: Record<string, unknown>) {
  const ctx = checkIdpContext(keys, {
    oidcClients: [
      {
        clientId: 'rp',
        clientSecret: 'rp-secret-0123456789abcdef',
        redirectUris: ['https://rp.example/cb'],
        postLogoutRedirectUris: ['https://rp.example/bye'],
      },
    ],
  })
  const hint = claims === undefined ? undefined : { claims }
  return runCheckTable(endSessionChecks, (): EndSessionChecks => ({ ctx, params, hint })).ctx
}

const hintOf = (claims: Record<string, unknown>) => ({ iss: issuer, sub: 'alice', ...claims })

describe("end_session's checks, in the order they run", () => {
  it('lists the checks in their order', () => {
    expect(endSessionChecks.map(([check]) => check)).toEqual([
      'id_token_hint',
      'client_id',
      'post_logout_redirect_uri',
    ])
  })

  it('takes the client from the hint (azp, else the first audience) or from client_id', () => {
    expect(run({}, hintOf({ aud: ['rp', 'api'] })).client?.clientId).toBe('rp')
    expect(run({}, hintOf({ aud: 'api', azp: 'rp' })).clientId).toBe('rp')
    const redirect = { client_id: 'rp', post_logout_redirect_uri: 'https://rp.example/bye' }
    expect(run(redirect).client?.clientId).toBe('rp')
    expect(run({}).client).toBeUndefined()
  })

  it('id_token_hint: refuses a hint whose signature failed, another issuer and no client', () => {
    const ctx = run({}).ctx
    const failed = () =>
      runCheckTable(
        endSessionChecks,
        (): EndSessionChecks => ({
          ctx,
          params: {},
          hint: { failure: hintInvalid('forged') },
        }),
      )
    expect(refusalOf(failed)).toEqual({
      code: 'OIDC_ID_TOKEN_HINT_INVALID',
      check: 'id_token_hint',
    })
    expect(refusalOf(() => run({}, { iss: 'https://other.example', aud: 'rp' })).code).toBe(
      'OIDC_ID_TOKEN_HINT_INVALID',
    )
    expect(refusalOf(() => run({}, hintOf({ aud: 7 }))).code).toBe('OIDC_ID_TOKEN_HINT_INVALID')
  })

  it('client_id: refuses a client_id the hint was not issued to', () => {
    expect(refusalOf(() => run({ client_id: 'spa' }, hintOf({ aud: 'rp' })))).toEqual({
      code: 'OIDC_ID_TOKEN_HINT_INVALID',
      check: 'id_token_hint',
    })
  })

  it('post_logout_redirect_uri: refuses one the client did not register, and one with no client', () => {
    const foreign = { post_logout_redirect_uri: 'https://evil.example/' }
    expect(refusalOf(() => run(foreign, hintOf({ aud: 'rp' })))).toEqual({
      code: 'OIDC_POST_LOGOUT_REDIRECT_URI_NOT_ALLOWED',
      check: 'post_logout_redirect_uri',
    })
    const clientless = { post_logout_redirect_uri: 'https://rp.example/bye' }
    expect(refusalOf(() => run(clientless)).code).toBe('OIDC_POST_LOGOUT_REDIRECT_URI_NOT_ALLOWED')
  })
})
