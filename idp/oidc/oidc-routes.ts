import { Hono } from 'hono'
import type { IdpContext } from '../context.ts'
import { jwksAnswer } from '../faults/endpoint-faults.ts'
import { authorize } from './authorize.ts'
import { endSession } from './end-session.tsx'
import { tokenEndpoint } from './token-endpoint.ts'
import { userinfo } from './userinfo.ts'

/**
 * The OpenID Connect provider (mounted at /oidc; discovery at /.well-known/openid-configuration):
 *   GET|POST /oidc/authorize     authorization endpoint: code flow, PKCE, state, nonce, prompt, max_age, login_hint
 *   POST     /oidc/token         authorization_code and refresh_token grants; client_secret_basic / _post / none
 *   GET|POST /oidc/userinfo      Bearer header or access_token form field
 *   GET      /oidc/jwks          the signing keys (the same set as /jwt/jwks.json)
 *   GET|POST /oidc/end-session   RP-initiated logout: id_token_hint, post_logout_redirect_uri, state
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
  return app
}
