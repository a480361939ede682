import { Hono } from 'hono'
import type { IdpContext } from '../context.ts'
import { jwksAnswer } from '../faults/endpoint-faults.ts'
import { continueFlow } from '../login/continue-flow.tsx'
import { signInAttempt } from '../login/sign-in-attempt.ts'
import { requestedAcr } from '../oidc/requested-acr.ts'
import { handOverScript, tokenForPage } from './hand-over.ts'
import { acceptReturnUrl } from './return-url.ts'
import { signOff } from './sign-off.tsx'

/**
 * JWT token SSO at the IdP (mounted at /jwt):
 *   GET  /jwt/login?return_url=URL[&sp=ID][&login_hint=ID][&prompt=none]  remote login URL: sign
 *        in, then a 302 to return_url with ?token=<JWT> appended (respond-with-token.ts);
 *        `prompt=none` (as OIDC Core §3.1.2.1 words it) never shows the form: without an IdP
 *        session the answer is `?error=login_required`; `acr_values` asks for a context as
 *        OIDC's does (voluntary: a second factor when the user has one; the token's `acr` says)
 *   GET  /jwt/logout?return_url=URL   sign-off URL: ends the IdP session, back to return_url
 *   GET  /jwt/certificate.pem         the RS256 verification certificate (the IdP credential)
 *   GET  /jwt/jwks.json               every published signing key (RS256 and ES256) with its kid
 *   POST /jwt/token?sp=ID             JavaScript API: a token for the signed-in visitor (CORS)
 *   GET  /jwt/hand-over.js            the snippet that uses it
 */
export function jwtRoutes(ctx: IdpContext) {
  const app = new Hono()
  app.get('/login', (c) =>
    signInAttempt(ctx, (claim) => {
      // The SP the request names, if it names one, before its return_url is even read.
      const named = c.req.query('sp')
      if (named !== undefined) claim(named)
      const { sp, url } = acceptReturnUrl(c.req.query('return_url'), ctx.jwtServiceProviders, named)
      ctx.journal.record(sp.id, { message: 'JwtLogin', returnUrl: url.href })
      return continueFlow(
        ctx,
        c,
        {
          kind: 'jwt',
          sp,
          returnUrl: url.href,
          forceAuthn: false,
          loginHint: c.req.query('login_hint'),
          authnContext: requestedAcr(c.req.query('acr_values'), undefined),
        },
        c.req.query('prompt') === 'none',
        claim(sp.id),
      )
    }),
  )
  app.get('/logout', (c) => signOff(ctx, c))
  app.get('/certificate.pem', (c) =>
    c.body(ctx.options.credential.certificatePem, 200, {
      'Content-Type': 'application/x-pem-file',
    }),
  )
  app.get('/jwks.json', (c) => jwksAnswer(ctx, c))
  app.post('/token', (c) => tokenForPage(ctx, c))
  app.get('/hand-over.js', (c) => handOverScript(ctx, c))
  return app
}
