import type { parse } from 'node-html-parser'
import { describe, expect, it } from 'vitest'
import { createManualClock } from '../../core/clock/index.ts'
import { createSeededRandom } from '../../core/random/index.ts'
import { bindings, statusCodes } from '../../core/saml/constants.ts'
import { encodeRedirect } from '../../core/saml/redirect.ts'
import { attr, firstChildElement, ns, parseXml } from '../../core/xml/index.ts'
import { buildAuthnRequest } from '../../sp/login/build-authn-request.ts'
import { idpUrl, spUrl, testCredentials } from '../../tests/fixtures/in-process.ts'
import { type FormToken, postedForm, readPage } from '../../tests/fixtures/read-page.ts'
import { createIdp, type Idp } from '../create-idp.tsx'
import { idpSessionCookie } from '../session/idp-sessions.ts'
import { openIdpDatabase } from '../store/database.ts'

const spEntityId = `${spUrl}/saml/metadata`
const acsUrl = `${spUrl}/saml/acs`

async function setup() {
  const keys = await testCredentials()
  const clock = createManualClock('2030-01-01T12:00:00Z')
  const idp = createIdp({
    baseUrl: idpUrl,
    credential: keys.idp,
    clock,
    random: createSeededRandom('handle-login'),
    log: () => {},
    serviceProviders: [{ entityId: spEntityId, assertionConsumerServices: [{ location: acsUrl }] }],
  })
  return { idp, clock }
}

async function startFlow(idp: Idp): Promise<{ flow: string; token: FormToken | undefined }> {
  const xml = buildAuthnRequest({
    id: '_login-request',
    issueInstant: Date.parse('2030-01-01T12:00:00Z'),
    destination: `${idpUrl}/saml/sso`,
    issuer: spEntityId,
    acsUrl,
  })
  const page = await readPage(
    await idp.app.request(encodeRedirect({ endpoint: '/saml/sso', param: 'SAMLRequest', xml })),
  )
  const flow = page.document.querySelector('#login-form input[name=flow]')?.getAttribute('value')
  if (!flow) throw new Error('no login form')
  return { flow, token: page.formToken }
}

/** The login form's answer, as the IdP's own page posts it. */
function answer(idp: Idp, form: Record<string, string>, token: FormToken | undefined) {
  return idp.app.request('/login', postedForm(form, token))
}

function responseStatus(document: ReturnType<typeof parse>) {
  const value = document.querySelector('input[name=SAMLResponse]')?.getAttribute('value') ?? ''
  const root = parseXml(Buffer.from(value, 'base64').toString('utf8')).documentElement
  const status = root ? firstChildElement(root, ns.samlp, 'Status') : undefined
  const top = status ? firstChildElement(status, ns.samlp, 'StatusCode') : undefined
  const sub = top ? firstChildElement(top, ns.samlp, 'StatusCode') : undefined
  return { top: top && attr(top, 'Value'), sub: sub && attr(sub, 'Value') }
}

describe('POST /login', () => {
  it('asks again, with 401, for a wrong password or an unknown user, and echoes no password', async () => {
    const { idp } = await setup()
    const { flow, token } = await startFlow(idp)
    const wrong = await readPage(
      await answer(idp, { flow, username: 'carol', password: 'guess-1', action: 'login' }, token),
    )
    expect(wrong.status).toBe(401)
    expect(wrong.document.querySelector('#login-error')?.text).toContain('Wrong password')
    expect(wrong.code).toBe('IDP_LOGIN_FAILED')
    expect(wrong.html).not.toContain('guess-1')
    expect(wrong.document.querySelector('#username')?.getAttribute('value')).toBe('carol')

    const unknown = await readPage(
      await answer(idp, { flow, username: 'zed', action: 'login' }, token),
    )
    expect(unknown.status).toBe(401)
    expect(unknown.document.querySelector('#login-error')?.text).toContain('No such user')
    expect(unknown.code).toBe('IDP_LOGIN_FAILED')

    // The flow survives failed attempts.
    const right = await readPage(
      await answer(
        idp,
        { flow, username: 'carol', password: 'carol-secret', action: 'login' },
        token,
      ),
    )
    expect(right.status).toBe(200)
    expect(responseStatus(right.document).top).toBe(statusCodes.success)
  })

  it('completes a flow once: a second answer is IDP_FLOW_UNKNOWN', async () => {
    const { idp } = await setup()
    const { flow, token } = await startFlow(idp)
    expect((await answer(idp, { flow, username: 'alice', action: 'login' }, token)).status).toBe(
      200,
    )
    const again = await readPage(
      await answer(idp, { flow, username: 'bob', action: 'login' }, token),
    )
    expect(again.status).toBe(400)
    expect(again.code).toBe('IDP_FLOW_UNKNOWN')
    expect(again.document.querySelector('input[name=SAMLResponse]')).toBeNull()
  })

  it('answers a cancel with an AuthnFailed Response and ends the flow', async () => {
    const { idp } = await setup()
    const { flow, token } = await startFlow(idp)
    const cancelled = await readPage(await answer(idp, { flow, action: 'cancel' }, token))
    expect(cancelled.status).toBe(200)
    expect(cancelled.document.querySelector('form')?.getAttribute('action')).toBe(acsUrl)
    expect(responseStatus(cancelled.document)).toEqual({
      top: statusCodes.responder,
      sub: statusCodes.authnFailed,
    })
    const after = await readPage(
      await answer(idp, { flow, username: 'alice', action: 'login' }, token),
    )
    expect(after.code).toBe('IDP_FLOW_UNKNOWN')
  })

  it('forgets a flow after 15 minutes', async () => {
    const { idp, clock } = await setup()
    const { flow, token } = await startFlow(idp)
    clock.advance('15m')
    const late = await readPage(
      await answer(idp, { flow, username: 'alice', action: 'login' }, token),
    )
    expect(late.status).toBe(400)
    expect(late.code).toBe('IDP_FLOW_UNKNOWN')
  })

  it('refuses an unknown or missing flow (IDP_FLOW_UNKNOWN)', async () => {
    const { idp } = await setup()
    const { token } = await startFlow(idp)
    const forms: Record<string, string>[] = [
      { flow: 'made-up', username: 'alice' },
      { username: 'alice' },
    ]
    for (const form of forms) {
      const page = await readPage(await answer(idp, form, token))
      expect(page.status).toBe(400)
      expect(page.code).toBe('IDP_FLOW_UNKNOWN')
    }
  })
})

describe('POST /login: the IdP session it starts', () => {
  const sessionCookie = (response: Response) =>
    response.headers
      .getSetCookie()
      .find((cookie) => cookie.startsWith(`${idpSessionCookie}=`))
      ?.split(';')[0]

  it('comes with the answer, already knowing the SP it told, and signs the next request in', async () => {
    const { idp } = await setup()
    const { flow, token } = await startFlow(idp)
    const answered = await answer(idp, { flow, username: 'alice', action: 'login' }, token)
    expect(answered.status).toBe(200)
    const cookie = sessionCookie(answered)
    expect(cookie).toMatch(new RegExp(`^${idpSessionCookie}=[1-9][0-9]*\\.[A-Za-z0-9_-]{32}$`))
    const [session, ...more] = idp.sessions.forUser('alice')
    expect(more).toEqual([])
    expect(session?.participants.map((p) => [p.spEntityId, p.nameId])).toEqual([
      [spEntityId, 'alice'],
    ])
    const xml = buildAuthnRequest({
      id: '_second-request',
      issueInstant: Date.parse('2030-01-01T12:00:00Z'),
      destination: `${idpUrl}/saml/sso`,
      issuer: spEntityId,
      acsUrl,
    })
    const again = await readPage(
      await idp.app.request(encodeRedirect({ endpoint: '/saml/sso', param: 'SAMLRequest', xml }), {
        headers: { cookie: cookie ?? '' },
      }),
    )
    expect(again.document.querySelector('#login-form')).toBeNull()
    expect(responseStatus(again.document).top).toBe(statusCodes.success)
  })

  it('is kept, its cookie on the error page, when the answer fails after the user was known', async () => {
    const keys = await testCredentials()
    const database = openIdpDatabase()
    const idp = createIdp({
      baseUrl: idpUrl,
      credential: keys.idp,
      clock: createManualClock('2030-01-01T12:00:00Z'),
      random: createSeededRandom('handle-login-failed-answer'),
      log: () => {},
      database,
      serviceProviders: [
        {
          entityId: spEntityId,
          responseBinding: 'artifact',
          assertionConsumerServices: [
            { location: acsUrl },
            { location: acsUrl, binding: bindings.artifact },
          ],
        },
      ],
    })
    const { flow, token } = await startFlow(idp)
    // The artifact cannot be kept: the answer throws once the session is started.
    database.exec('DROP TABLE idp_artifacts')
    const failed = await answer(idp, { flow, username: 'alice', action: 'login' }, token)
    expect(failed.status).toBe(500)
    expect(sessionCookie(failed)).toBeDefined()
    expect(idp.sessions.forUser('alice')).toHaveLength(1)
  })
})

describe('GET /login?flow=…', () => {
  it('shows the form again for a live flow and refuses an unknown one', async () => {
    const { idp } = await setup()
    const { flow } = await startFlow(idp)
    const again = await readPage(await idp.app.request(`/login?flow=${encodeURIComponent(flow)}`))
    expect(again.status).toBe(200)
    expect(
      again.document.querySelector('#login-form input[name=flow]')?.getAttribute('value'),
    ).toBe(flow)
    const unknown = await readPage(await idp.app.request('/login?flow=made-up'))
    expect(unknown.status).toBe(400)
    expect(unknown.code).toBe('IDP_FLOW_UNKNOWN')
  })
})
