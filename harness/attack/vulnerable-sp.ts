import type { Document } from '@xmldom/xmldom'
import { Hono } from 'hono'
import { systemClock } from '../../core/clock/index.ts'
import { SsoError } from '../../core/errors/index.ts'
import { ns, parseXml, textContent } from '../../core/xml/index.ts'
import { checkResponse, readPastedResponse } from '../../sp/acs/check-response.ts'

/**
 * A deliberately vulnerable SAML SP, for the tests of `ssoproof attack` only: the reference SP's
 * own validation (checkResponse, what `ssoproof check saml` runs) minus exactly two defences.
 * Per posted Response it believes the message about whom to trust and whom it is for:
 *   1. the certificates in the message's KeyInfo become the trusted IdP certificates,
 *   2. the message's own Audience becomes the SP entity ID.
 * Everything else is the reference SP's, with its defaults (sp/options.ts: 60 s skew, signed
 * assertions wanted, no legacy crypto, certificate validity enforced), at the current time.
 * checkResponse runs offline, so what the ACS keeps in state is kept here as the reference keeps
 * it: each Response and Assertion ID is used once, and since this SP sends no AuthnRequest, a
 * Response answering one is refused (as SAML_IN_RESPONSE_TO_UNKNOWN there).
 * On success it sets `vsp_session` and redirects to /home, which greets the NameID it signed in;
 * on failure it answers 403. With `followRelayState` it has a third weakness: it redirects to
 * whatever RelayState came with the Response (catalogue case 32, an open redirect).
 */
export function createVulnerableSp(options: {
  acsUrl: string
  idpEntityId: string
  followRelayState?: boolean
}): Hono {
  const used = new Set<string>()
  const sessions = new Map<string, string>()
  const app = new Hono()
  app.post('/acs', async (c) => {
    const form = await c.req.parseBody()
    const posted = typeof form.SAMLResponse === 'string' ? form.SAMLResponse : ''
    const claimed = claimedByMessage(posted)
    const result = checkResponse(posted, {
      settings: {
        spEntityId: claimed.audience,
        acsUrl: options.acsUrl,
        idpEntityId: options.idpEntityId,
        idpCertificates: claimed.certificates,
        clockSkewMs: 60_000,
        wantAssertionsSigned: true,
        wantResponseSigned: false,
      },
      at: systemClock.now(),
    })
    const response = result.response
    if (!response) return c.text(`sign-in refused: ${result.failure?.code}`, 403)
    const ids = [`Response:${response.responseId}`, `Assertion:${response.assertionId}`]
    if (ids.some((id) => used.has(id))) return c.text('sign-in refused: SAML_REPLAY', 403)
    if (response.inResponseTo !== undefined) {
      return c.text('sign-in refused: SAML_IN_RESPONSE_TO_UNKNOWN', 403)
    }
    for (const id of ids) used.add(id)
    const session = `s${sessions.size + 1}`
    sessions.set(session, response.nameId ?? '')
    c.header('Set-Cookie', `vsp_session=${session}; Path=/; HttpOnly`)
    const relayState = typeof form.RelayState === 'string' ? form.RelayState : undefined
    return c.redirect((options.followRelayState && relayState) || '/home', 302)
  })
  app.get('/home', (c) => {
    const session = /(?:^|;\s*)vsp_session=([^;]+)/.exec(c.req.header('cookie') ?? '')?.[1]
    return c.text(`welcome back, ${sessions.get(session ?? '') ?? 'stranger'}`)
  })
  return app
}

/**
 * What the message says about itself: every KeyInfo certificate (ds:X509Certificate, base64
 * DER) and the first Audience. A message that does not read yields nothing, and checkResponse
 * refuses it at its Message check.
 */
function claimedByMessage(posted: string): { certificates: string[]; audience: string } {
  let doc: Document
  try {
    doc = parseXml(readPastedResponse(posted).xml)
  } catch (error) {
    if (!(error instanceof SsoError)) throw error
    return { certificates: [], audience: '' }
  }
  const certificates = Array.from(doc.getElementsByTagNameNS(ns.ds, 'X509Certificate'))
    .map((element) => textContent(element).replace(/\s+/g, ''))
    .filter((base64) => base64 !== '')
  const audience = doc.getElementsByTagNameNS(ns.saml, 'Audience')[0]
  return { certificates, audience: audience ? textContent(audience).trim() : '' }
}
