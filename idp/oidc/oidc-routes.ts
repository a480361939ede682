import { Hono } from 'hono'
import type { IdpContext } from '../context.ts'
import { distributedClaimsJwt } from '../faults/claim-sources.ts'
import { jwksAnswer } from '../faults/endpoint-faults.ts'
import { authorize } from './authorize.ts'
import { endSession } from './end-session.tsx'
import { initiateLogin } from './initiate-login.ts'
import { OAuthError, oauthErrorResponse } from './oauth-error.ts'
import { tokenEndpoint } from './token-endpoint.ts'
import { userinfo } from './userinfo.ts'

/**
 * The OpenID Connect provider (mounted at /oidc; discovery at /.well-known/openid-configuration):
 *   GET|POST /oidc/authorize     authorization endpoint: code flow, PKCE, state, nonce, prompt, max_age, login_hint
 *   POST     /oidc/token         authorization_code and refresh_token grants; client_secret_basic / _post / none
 *   GET|POST /oidc/userinfo      Bearer header or access_token form field
 *   GET      /oidc/jwks          the signing keys (the same set as /jwt/jwks.json)
 *   GET|POST /oidc/end-session   RP-initiated logout: id_token_hint, post_logout_redirect_uri, state
 *   GET      /oidc/initiate-login  ?client_id=…: login initiated by the IdP, to the client's initiate_login_uri
 *   GET      /oidc/claims        distributed claims (the `oidc-claim-sources` fault), a Bearer token
 */
export function oidcRoutes(ctx: IdpContext) {
  const app = new Hono()
  app.get('/authorize', (c) => authorize(ctx, c))
  app.post('/authorize', (c) => authorize(ctx, c))
  app.post('/token', (c) => tokenEndpoint(ctx, c))
  app.get('/userinfo', (c) => userinfo(ctx, c))
  app.post('/userinfo', (c) => userinfo(ctx, c))
  app.get('/jwks', (c) => jwksAnswer(ctx, c))
  app.get('/end-session', (c) => endSession(ctx, c))
  app.post('/end-session', (c) => endSession(ctx, c))
  app.get('/initiate-login', (c) => initiateLogin(ctx, c))
  app.get('/claims', async (c) => {
    const jwt = await distributedClaimsJwt(ctx, c.req.header('authorization'))
    if (jwt === undefined) {
      const error = new OAuthError(401, 'invalid_token', 'unknown access token', 'Bearer')
      return oauthErrorResponse(c, error, ctx.options.log)
    }
    c.header('Cache-Control', 'no-store')
    return c.body(jwt, 200, { 'Content-Type': 'application/jwt' })
  })
  return app
}
