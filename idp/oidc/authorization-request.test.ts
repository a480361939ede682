import { describe, expect, it } from 'vitest'
import { refusalOf } from '../../tests/fixtures/acs-context.ts'
import { checkIdpContext, checkKeys } from '../../tests/fixtures/idp-check-context.ts'
import {
  AuthorizationError,
  authorizeChecks,
  checkAuthorizationRequest,
} from './authorization-request.ts'

/**
 * Each row of the authorization endpoint's check table (authorizeChecks), passed and refused:
 * an error page with its code until the redirect_uri is known good, then the OAuth error the
 * client hears at its redirect_uri.
 */
const challenge = 'E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM'
const keys = checkKeys()

function clients() {
  return checkIdpContext(keys, {
    oidcClients: [
      {
        clientId: 'rp',
        clientSecret: 'rp-secret-0123456789abcdef',
        redirectUris: ['https://rp.example/cb'],
        unknownScopes: 'refuse',
      },
      { clientId: 'spa', redirectUris: ['https://spa.example/cb'] },
      {
        clientId: 'legacy',
        clientSecret: 'legacy-secret-0123456789abcdef',
        redirectUris: ['https://legacy.example/oauth'],
        mode: 'oauth2',
        scopes: ['basic'],
        parameterNames: { client_id: 'appid', redirect_uri: 'callback', state: 'st' },
      },
    ],
  }).oidcClients
}

const good = {
  client_id: 'rp',
  redirect_uri: 'https://rp.example/cb',
  response_type: 'code',
  scope: 'openid email',
  state: 'xyz',
}

/** The OAuth error a request gets at its redirect_uri. */
function oauthError(params: Record<string, string>) {
  try {
    checkAuthorizationRequest(params, clients())
  } catch (error) {
    if (error instanceof AuthorizationError) {
      return { error: error.error, redirectUri: error.redirectUri, state: error.state }
    }
    throw error
  }
  throw new Error('expected a refusal, and the request passed')
}

describe("the authorization endpoint's checks, in the order they run", () => {
  it('lists the checks in their order', () => {
    expect(authorizeChecks.map(([check]) => check)).toEqual([
      'client_id',
      'redirect_uri',
      'response_mode',
      'request',
      'response_type',
      'scope',
      'code_challenge',
      'prompt',
      'max_age',
      'acr',
      'state',
    ])
  })

  it('accepts a confidential client without PKCE, and a public one with S256', () => {
    const accepted = checkAuthorizationRequest({ ...good, nonce: 'n', max_age: '60' }, clients())
    expect(accepted).toMatchObject({
      redirectUri: 'https://rp.example/cb',
      scopes: ['openid', 'email'],
      state: 'xyz',
      nonce: 'n',
      maxAgeSeconds: 60,
      responseMode: 'query',
      codeChallengeMethod: undefined,
    })
    const spa = checkAuthorizationRequest(
      {
        ...good,
        client_id: 'spa',
        redirect_uri: 'https://spa.example/cb',
        scope: 'openid',
        code_challenge: challenge,
        code_challenge_method: 'S256',
        response_mode: 'form_post',
      },
      clients(),
    )
    expect(spa).toMatchObject({ codeChallengeMethod: 'S256', responseMode: 'form_post' })
  })

  it('reads an OAuth2-mode client’s own parameter names', () => {
    const legacy = checkAuthorizationRequest(
      { appid: 'legacy', callback: 'https://legacy.example/oauth', response_type: 'code', st: 's' },
      clients(),
    )
    expect(legacy).toMatchObject({ redirectUri: 'https://legacy.example/oauth', state: 's' })
  })

  it('client_id and redirect_uri: an error page, never a redirect', () => {
    expect(
      refusalOf(() => checkAuthorizationRequest({ ...good, client_id: 'nope' }, clients())),
    ).toEqual({
      code: 'OIDC_CLIENT_UNKNOWN',
      check: 'client_id',
    })
    const elsewhere = { ...good, redirect_uri: 'https://rp.example/cb/../evil' }
    expect(refusalOf(() => checkAuthorizationRequest(elsewhere, clients()))).toEqual({
      code: 'OIDC_REDIRECT_URI_NOT_ALLOWED',
      check: 'redirect_uri',
    })
  })

  it.each([
    ['response_mode', { response_mode: 'fragment' }, 'invalid_request'],
    ['request', { request: 'eyJhbGciOiJub25lIn0.e30.' }, 'request_not_supported'],
    ['request_uri', { request_uri: 'https://rp.example/r' }, 'request_not_supported'],
    ['response_type', { response_type: 'token' }, 'unsupported_response_type'],
    ['scope without openid', { scope: 'email' }, 'invalid_scope'],
    ['a scope the client may not ask for', { scope: 'openid admin' }, 'invalid_scope'],
    [
      'code_challenge_method',
      { code_challenge: challenge, code_challenge_method: 'S512' },
      'invalid_request',
    ],
    ['a short code_challenge', { code_challenge: 'short' }, 'invalid_request'],
    ['a method without a challenge', { code_challenge_method: 'S256' }, 'invalid_request'],
    ['prompt', { prompt: 'maybe' }, 'invalid_request'],
    ['prompt=none with login', { prompt: 'none login' }, 'invalid_request'],
    ['max_age', { max_age: '1.5' }, 'invalid_request'],
    ['nonce', { nonce: 'n'.repeat(513) }, 'invalid_request'],
  ])('%s: refused at the redirect_uri with state', (_, change, error) => {
    expect(oauthError({ ...good, ...change })).toEqual({
      error,
      redirectUri: 'https://rp.example/cb',
      state: 'xyz',
    })
  })

  it('code_challenge: a public client must send one', () => {
    const spa = { ...good, client_id: 'spa', redirect_uri: 'https://spa.example/cb' }
    expect(oauthError(spa).error).toBe('invalid_request')
  })

  it('state: a state over 512 characters is refused and not echoed', () => {
    expect(oauthError({ ...good, state: 's'.repeat(513) })).toEqual({
      error: 'invalid_request',
      redirectUri: 'https://rp.example/cb',
      state: undefined,
    })
  })
})
