import type { Context, Hono } from 'hono'
import { deleteCookie, getCookie } from 'hono/cookie'
import { createApp } from '../core/http/create-app.ts'
import { bindings, nameIdFormats } from '../core/saml/constants.ts'
import { buildSpMetadata } from '../core/saml/metadata.ts'
import { handleAcs } from './acs/handle-acs.ts'
import type { SpContext } from './context.ts'
import { startLogin } from './login/start-login.ts'
import { resolveSpOptions, type SpOptions } from './options.ts'
import { HomePage } from './pages/home-page.tsx'
import { createPendingRequestStore } from './session/pending-requests.ts'
import { createReplayCache } from './session/replay-cache.ts'
import { createSpSessionStore, spSessionCookie } from './session/sp-sessions.ts'

export interface Sp {
  app: Hono
  context: SpContext
  /** The SP's SAML metadata XML, to hand to the IdP. */
  metadata(): string
}

/**
 * The reference SP as a Hono app. Routes:
 *   GET  /                 who is signed in (or a sign-in button)
 *   GET  /saml/metadata    SP metadata (entityID, ACS for HTTP-POST, signing certificate)
 *   GET  /login            ?return_url=/path: SP-initiated sign-in (AuthnRequest over HTTP-Redirect)
 *   POST /saml/acs         AssertionConsumerService (HTTP-POST)
 *   GET  /api/session      the current session as JSON (for scripts)
 *   POST /logout           ends the SP session
 */
export function createSp(options: SpOptions): Sp {
  const resolved = resolveSpOptions(options)
  const context: SpContext = {
    options: resolved,
    pending: createPendingRequestStore(resolved.clock),
    replay: createReplayCache(resolved.clock),
    sessions: createSpSessionStore(resolved.clock, resolved.random, resolved.sessionInactivityMs),
  }
  const metadata = () =>
    buildSpMetadata({
      entityId: resolved.entityId,
      signingCertificates: [resolved.credential.certificateBase64],
      assertionConsumerServices: [
        { binding: bindings.post, location: resolved.urls.acs, index: 0, isDefault: true },
      ],
      singleLogoutServices: [],
      authnRequestsSigned: resolved.signAuthnRequests,
      wantAssertionsSigned: resolved.wantAssertionsSigned,
      nameIdFormats: [
        nameIdFormats.unspecified,
        nameIdFormats.emailAddress,
        nameIdFormats.persistent,
      ],
    })

  const app = createApp('SP', resolved.log)
  const currentSession = (c: Context) => context.sessions.touch(getCookie(c, spSessionCookie))

  app.get('/', (c) => {
    c.header('Cache-Control', 'no-store')
    return c.html(<HomePage session={currentSession(c)} idpEntityId={resolved.idp.entityId} />)
  })

  app.get('/saml/metadata', (c) =>
    c.body(metadata(), 200, { 'Content-Type': 'application/samlmetadata+xml' }),
  )
  app.get('/login', (c) => startLogin(context, c))
  app.post('/saml/acs', (c) => handleAcs(context, c))
  app.get('/api/session', (c) => {
    const session = currentSession(c)
    return c.json(session ? { signedIn: true, subject: session.subject } : { signedIn: false })
  })
  app.post('/logout', (c) => {
    context.sessions.delete(getCookie(c, spSessionCookie))
    deleteCookie(c, spSessionCookie, { path: '/' })
    return c.redirect('/', 303)
  })

  return { app, context, metadata }
}
