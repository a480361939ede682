import { parse } from 'node-html-parser'
import { describe, expect, it } from 'vitest'
import { createManualClock } from '../../core/clock/index.ts'
import type { Credential } from '../../core/keys/index.ts'
import { createSeededRandom } from '../../core/random/index.ts'
import { bindings } from '../../core/saml/constants.ts'
import { encodeRedirect } from '../../core/saml/redirect.ts'
import { firstChildElement, ns, parseXml, textContent } from '../../core/xml/index.ts'
import { createSp } from '../../sp/create-sp.tsx'
import { buildAuthnRequest } from '../../sp/login/build-authn-request.ts'
import { idpUrl, spUrl, testCredentials } from '../../tests/fixtures/in-process.ts'
import { type FormToken, postedForm, readPage } from '../../tests/fixtures/read-page.ts'
import { createIdp, type Idp } from '../create-idp.tsx'
import type { IdpOptions } from '../options.ts'

const spEntityId = `${spUrl}/saml/metadata`
const acsUrl = `${spUrl}/saml/acs`

async function setup(options: Partial<IdpOptions> = {}) {
  const keys = await testCredentials()
  const idp = createIdp({
    baseUrl: idpUrl,
    credential: keys.idp,
    clock: createManualClock('2030-01-01T12:00:00Z'),
    random: createSeededRandom('admin-routes'),
    log: () => {},
    serviceProviders: [{ entityId: spEntityId, assertionConsumerServices: [{ location: acsUrl }] }],
    ...options,
  })
  return { idp, keys }
}

/** sp.example.com as the resolver would answer: a public address. */
const publicAddress = async () => ['93.184.216.34']

function referenceSp(credential: Credential, baseUrl = 'https://sp.example.com') {
  return createSp({
    baseUrl,
    credential,
    idp: { entityId: `${idpUrl}/saml/metadata`, ssoUrl: `${idpUrl}/saml/sso`, certificates: [] },
    log: () => {},
  })
}

function json(method: string, body: unknown): RequestInit {
  return {
    method,
    headers: { 'content-type': 'application/json' },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  }
}

/** The finding an admin API error carries as JSON. */
async function apiError(response: Response) {
  const body = (await response.json()) as {
    error: { code: string; check: string; reason: string; evidence: { issues?: string[] } }
  }
  return { status: response.status, ...body.error }
}

/** Starts a sign-in at the IdP for `issuer` and returns the login form's flow ID. */
async function startSignIn(idp: Idp, issuer = spEntityId, acs = acsUrl) {
  const xml = buildAuthnRequest({
    id: '_admin-request',
    issueInstant: Date.parse('2030-01-01T12:00:00Z'),
    destination: `${idpUrl}/saml/sso`,
    issuer,
    acsUrl: acs,
  })
  const response = await idp.app.request(
    encodeRedirect({ endpoint: '/saml/sso', param: 'SAMLRequest', xml }),
  )
  const page = await readPage(response)
  return {
    status: page.status,
    code: page.code,
    flow: {
      id: page.document.querySelector('input[name=flow]')?.getAttribute('value') ?? '',
      token: page.formToken,
    },
  }
}

async function logIn(
  idp: Idp,
  flow: { id: string; token: FormToken | undefined },
  username: string,
  password?: string,
) {
  const response = await idp.app.request(
    '/login',
    postedForm(
      { flow: flow.id, username, action: 'login', ...(password ? { password } : {}) },
      flow.token,
    ),
  )
  const document = parse(await response.text())
  const value = document.querySelector('input[name=SAMLResponse]')?.getAttribute('value')
  if (value === undefined) return { status: response.status, nameId: undefined }
  const root = parseXml(Buffer.from(value, 'base64').toString('utf8')).documentElement
  const assertion = root ? firstChildElement(root, ns.saml, 'Assertion') : undefined
  const subject = assertion ? firstChildElement(assertion, ns.saml, 'Subject') : undefined
  const nameId = subject ? firstChildElement(subject, ns.saml, 'NameID') : undefined
  return { status: response.status, nameId: nameId ? textContent(nameId) : undefined }
}

describe('/admin/users', () => {
  it('lists the users without their passwords, with a hasPassword flag', async () => {
    const { idp } = await setup()
    const response = await idp.app.request('/admin/users')
    expect(response.status).toBe(200)
    const text = await response.text()
    expect(text).not.toContain('carol-secret')
    const { users } = JSON.parse(text) as { users: Record<string, unknown>[] }
    expect(users.map((user) => user.id)).toEqual(['alice', 'bob', 'carol', 'dave'])
    expect(users.find((user) => user.id === 'carol')).toMatchObject({ hasPassword: true })
    expect(users.find((user) => user.id === 'alice')).toMatchObject({ hasPassword: false })
    for (const user of users) expect(user).not.toHaveProperty('password')
  })

  it('adds a user with PUT who can then sign in with their password', async () => {
    const { idp } = await setup()
    const put = await idp.app.request(
      '/admin/users/erin',
      json('PUT', { name: 'Erin Example', email: 'erin@example.com', password: 'erin-pw' }),
    )
    expect(put.status).toBe(200)
    const { user } = (await put.json()) as { user: Record<string, unknown> }
    expect(user).toEqual({
      id: 'erin',
      name: 'Erin Example',
      email: 'erin@example.com',
      attributes: {},
      hasPassword: true,
    })

    const { flow } = await startSignIn(idp)
    expect((await logIn(idp, flow, 'erin', 'wrong')).status).toBe(401)
    const signedIn = await logIn(idp, flow, 'erin', 'erin-pw')
    expect(signedIn.status).toBe(200)
    expect(signedIn.nameId).toBe('erin')
  })

  it('replaces a user with PUT, taking the id from the URL', async () => {
    const { idp } = await setup()
    const put = await idp.app.request(
      '/admin/users/bob',
      json('PUT', { id: 'mallory', name: 'Robert Brown' }),
    )
    expect(put.status).toBe(200)
    expect(((await put.json()) as { user: { id: string } }).user.id).toBe('bob')
    const { users } = (await (await idp.app.request('/admin/users')).json()) as {
      users: { id: string; name: string; email?: string }[]
    }
    expect(users.map((u) => u.id)).toEqual(['alice', 'bob', 'carol', 'dave'])
    expect(users.find((u) => u.id === 'bob')).toEqual({
      id: 'bob',
      name: 'Robert Brown',
      attributes: {},
      hasPassword: false,
    })
  })

  it('adds a user with POST (201)', async () => {
    const { idp } = await setup()
    const post = await idp.app.request('/admin/users', json('POST', { id: 'frank', name: 'Frank' }))
    expect(post.status).toBe(201)
    const { flow } = await startSignIn(idp)
    expect((await logIn(idp, flow, 'frank')).nameId).toBe('frank')
  })

  it('refuses a bad email with CONFIG_INVALID naming the setting', async () => {
    const { idp } = await setup()
    const error = await apiError(
      await idp.app.request(
        '/admin/users',
        json('POST', { id: 'x', name: 'y', email: 'not-an-email' }),
      ),
    )
    expect(error.status).toBe(400)
    expect(error.code).toBe('CONFIG_INVALID')
    expect(error.reason).toMatch(/^user: email: /)
    expect(error.evidence.issues?.[0]).toMatch(/^email: /)
    expect((await idp.app.request('/admin/users')).status).toBe(200)
    expect(idp.users.get('x')).toBeUndefined()
  })

  it('refuses a bad attribute value with its dotted path', async () => {
    const { idp } = await setup()
    const error = await apiError(
      await idp.app.request(
        '/admin/users/x',
        json('PUT', { name: 'y', attributes: { roles: ['a', 7] } }),
      ),
    )
    expect(error.status).toBe(400)
    expect(error.code).toBe('CONFIG_INVALID')
    expect(error.evidence.issues?.some((issue) => issue.startsWith('attributes.roles'))).toBe(true)
  })

  it('refuses an unknown key', async () => {
    const { idp } = await setup()
    const error = await apiError(
      await idp.app.request('/admin/users', json('POST', { id: 'x', name: 'y', nickname: 'z' })),
    )
    expect(error.status).toBe(400)
    expect(error.code).toBe('CONFIG_INVALID')
    expect(error.reason).toContain('nickname')
    expect(idp.users.get('x')).toBeUndefined()
  })

  it('refuses a body that is not JSON (CONFIG_INVALID, check body)', async () => {
    const { idp } = await setup()
    const error = await apiError(await idp.app.request('/admin/users', json('POST', '{"id": ')))
    expect(error.status).toBe(400)
    expect(error.code).toBe('CONFIG_INVALID')
    expect(error.check).toBe('body')
  })

  it('deletes a user (204), then answers 404 NOT_FOUND for them', async () => {
    const { idp } = await setup()
    expect((await idp.app.request('/admin/users/bob', { method: 'DELETE' })).status).toBe(204)
    expect(idp.users.get('bob')).toBeUndefined()
    const again = await apiError(await idp.app.request('/admin/users/bob', { method: 'DELETE' }))
    expect(again.status).toBe(404)
    expect(again.code).toBe('NOT_FOUND')
    const unknown = await apiError(
      await idp.app.request('/admin/users/nobody', { method: 'DELETE' }),
    )
    expect(unknown.status).toBe(404)
    expect(unknown.code).toBe('NOT_FOUND')
  })
})

describe('/admin/next-login', () => {
  it('queues a headless sign-in for an existing user (202)', async () => {
    const { idp } = await setup()
    const queued = await idp.app.request('/admin/next-login', json('POST', { userId: 'bob' }))
    expect(queued.status).toBe(202)
    expect(await queued.json()).toEqual({ queued: 1 })
    expect(idp.queuedLogins()).toEqual([{ userId: 'bob', sp: undefined }])
  })

  it('refuses an unknown user with 400 CONFIG_INVALID and queues nothing', async () => {
    const { idp } = await setup()
    const error = await apiError(
      await idp.app.request('/admin/next-login', json('POST', { userId: 'nobody' })),
    )
    expect(error.status).toBe(400)
    expect(error.code).toBe('CONFIG_INVALID')
    expect(error.check).toBe('userId')
    expect(idp.queuedLogins()).toEqual([])
  })

  it('refuses a body without userId, and a body that is not JSON', async () => {
    const { idp } = await setup()
    const missing = await apiError(await idp.app.request('/admin/next-login', json('POST', {})))
    expect(missing.status).toBe(400)
    expect(missing.code).toBe('CONFIG_INVALID')
    const notJson = await apiError(await idp.app.request('/admin/next-login', json('POST', 'bob')))
    expect(notJson.status).toBe(400)
    expect(notJson.code).toBe('CONFIG_INVALID')
    expect(notJson.check).toBe('body')
  })
})

describe('/admin/service-providers', () => {
  it('registers an SP from its metadata; its AuthnRequests are then accepted', async () => {
    const { idp, keys } = await setup()
    const sp = referenceSp(keys.sp)
    const newEntityId = 'https://sp.example.com/saml/metadata'
    const newAcs = 'https://sp.example.com/saml/acs'

    const before = await startSignIn(idp, newEntityId, newAcs)
    expect(before.status).toBe(403)
    expect(before.code).toBe('SAML_REQUEST_UNKNOWN_SP')

    const response = await idp.app.request(
      '/admin/service-providers',
      json('POST', { metadata: sp.metadata() }),
    )
    expect(response.status).toBe(201)
    const { serviceProvider } = (await response.json()) as {
      serviceProvider: Record<string, unknown>
    }
    expect(serviceProvider).toMatchObject({
      entityId: newEntityId,
      assertionConsumerServices: [
        { location: newAcs, index: 0, isDefault: true },
        { location: newAcs, binding: bindings.artifact, index: 1 },
      ],
      certificates: [keys.sp.certificateBase64],
      requireSignedAuthnRequests: false,
    })

    const list = (await (await idp.app.request('/admin/service-providers')).json()) as {
      serviceProviders: { entityId: string }[]
    }
    expect(list.serviceProviders.map((entry) => entry.entityId)).toEqual([spEntityId, newEntityId])

    const after = await startSignIn(idp, newEntityId, newAcs)
    expect(after.status).toBe(200)
    expect(after.flow.id).not.toBe('')
  })

  it('registers an SP from a metadata URL through the injected fetch', async () => {
    const keys = await testCredentials()
    const sp = referenceSp(keys.sp)
    const fetched: string[] = []
    const { idp } = await setup({
      fetch: async (input) => {
        fetched.push(input instanceof Request ? input.url : String(input))
        return new Response(sp.metadata(), { status: 200 })
      },
      lookup: publicAddress,
    })
    const response = await idp.app.request(
      '/admin/service-providers',
      json('POST', { metadataUrl: 'https://sp.example.com/saml/metadata' }),
    )
    expect(response.status).toBe(201)
    expect(fetched).toEqual(['https://sp.example.com/saml/metadata'])
    expect(idp.serviceProviders.get('https://sp.example.com/saml/metadata')).toBeDefined()
  })

  it('refuses a metadata URL that is not http(s) without fetching it', async () => {
    const fetched: string[] = []
    const { idp } = await setup({
      fetch: async (input) => {
        fetched.push(String(input))
        return new Response('', { status: 200 })
      },
    })
    const error = await apiError(
      await idp.app.request(
        '/admin/service-providers',
        json('POST', { metadataUrl: 'ftp://sp.example.com/md' }),
      ),
    )
    expect(error.status).toBe(400)
    expect(error.code).toBe('CONFIG_INVALID')
    expect(error.reason).toContain('http(s)')
    expect(fetched).toEqual([])
  })

  it('refuses a metadata URL that answers 500 (METADATA_FETCH_FAILED) and registers nothing', async () => {
    const log: string[] = []
    const { idp } = await setup({
      fetch: async () => new Response('down', { status: 500 }),
      lookup: publicAddress,
      metadataFetchTimeoutMs: 50,
      log: (line) => log.push(line),
    })
    const error = await apiError(
      await idp.app.request(
        '/admin/service-providers',
        json('POST', { metadataUrl: 'https://sp.example.com/saml/metadata' }),
      ),
    )
    expect(error.status).toBe(400)
    expect(error.code).toBe('METADATA_FETCH_FAILED')
    expect(JSON.stringify(error)).not.toContain('500')
    expect(log.join('\n')).toContain('HTTP 500')
    expect(idp.serviceProviders.list()).toHaveLength(1)
  })

  it('refuses a registration object with a bad ACS location, naming its dotted path', async () => {
    const { idp } = await setup()
    const error = await apiError(
      await idp.app.request(
        '/admin/service-providers',
        json('POST', {
          entityId: 'https://bad.example.com',
          assertionConsumerServices: [{ location: 'not a url' }],
        }),
      ),
    )
    expect(error.status).toBe(400)
    expect(error.code).toBe('CONFIG_INVALID')
    expect(error.reason).toBe(`serviceProvider: ${error.evidence.issues?.[0] ?? 'no issue listed'}`)
    expect(error.evidence.issues?.[0]).toMatch(/^assertionConsumerServices\.0\.location: /)
    expect(idp.serviceProviders.get('https://bad.example.com')).toBeUndefined()
  })

  it('refuses IdP metadata handed in as SP metadata (CONFIG_INVALID)', async () => {
    const { idp } = await setup()
    const error = await apiError(
      await idp.app.request('/admin/service-providers', json('POST', { metadata: idp.metadata() })),
    )
    expect(error.status).toBe(400)
    expect(error.code).toBe('CONFIG_INVALID')
    expect(error.reason).toContain('SPSSODescriptor')
  })

  it('applies the settings beside metadata or metadataUrl over what the metadata says', async () => {
    const keys = await testCredentials()
    const sp = referenceSp(keys.sp)
    const { idp } = await setup({
      fetch: async () => new Response(sp.metadata(), { status: 200 }),
      lookup: publicAddress,
    })
    const settings = { encryptAssertion: true, responseBinding: 'artifact', signResponse: false }
    for (const body of [
      { metadata: sp.metadata(), ...settings },
      { metadataUrl: 'https://sp.example.com/saml/metadata', ...settings },
    ]) {
      const response = await idp.app.request('/admin/service-providers', json('POST', body))
      expect(response.status).toBe(201)
      expect(idp.serviceProviders.get('https://sp.example.com/saml/metadata')).toMatchObject({
        ...settings,
        encryptionCertificates: [keys.sp.certificateBase64],
      })
    }
  })

  it('refuses unknown settings beside metadata, naming them, and registers nothing', async () => {
    const keys = await testCredentials()
    const sp = referenceSp(keys.sp)
    const { idp } = await setup()
    for (const [extra, issue] of [
      [{ encryptAssertions: true }, /^\(root\): Unrecognized key: "encryptAssertions"/],
      [{ responseBinding: 'soap' }, /^responseBinding: /],
      [{ entityId: 'https://other.example.com' }, undefined],
    ] as const) {
      const error = await apiError(
        await idp.app.request(
          '/admin/service-providers',
          json('POST', { metadata: sp.metadata(), ...extra }),
        ),
      )
      expect(error.status).toBe(400)
      expect(error.code).toBe('CONFIG_INVALID')
      if (issue) expect(error.evidence.issues?.[0]).toMatch(issue)
      else expect(error.reason).toContain('entity ID comes from the metadata')
    }
    const both = await apiError(
      await idp.app.request(
        '/admin/service-providers',
        json('POST', { metadata: sp.metadata(), metadataUrl: 'https://sp.example.com/md' }),
      ),
    )
    expect(both.reason).toBe('give metadata or metadataUrl, not both')
    expect(idp.serviceProviders.list()).toHaveLength(1)
  })

  it('refuses a body that is not JSON (400 CONFIG_INVALID)', async () => {
    const { idp } = await setup()
    const error = await apiError(
      await idp.app.request('/admin/service-providers', json('POST', '<EntityDescriptor/>')),
    )
    expect(error.status).toBe(400)
    expect(error.code).toBe('CONFIG_INVALID')
    expect(error.check).toBe('body')
  })
})
