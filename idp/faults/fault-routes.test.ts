import { describe, expect, it } from 'vitest'
import { createInProcessPair, spUrl } from '../../tests/fixtures/in-process.ts'
import type { Idp } from '../create-idp.tsx'

function call(idp: Idp, method: string, path: string, body?: unknown) {
  return idp.app.request(path, {
    method,
    ...(body === undefined
      ? {}
      : {
          headers: { 'content-type': 'application/json' },
          body: typeof body === 'string' ? body : JSON.stringify(body),
        }),
  })
}

async function apiError(response: Response) {
  const body = (await response.json()) as {
    error: { code: string; reason: string; evidence: { issues?: string[] } }
  }
  return { status: response.status, ...body.error }
}

describe('/admin/faults', () => {
  it('sets, lists, removes one and clears', async () => {
    const { idp } = await createInProcessPair()
    const one = await call(idp, 'POST', '/admin/faults', { kind: 'saml-xsw', variant: 3 })
    expect(one.status).toBe(201)
    expect(await one.json()).toEqual({
      faults: [{ kind: 'saml-xsw', variant: 3, nameId: 'mallory', id: 'fault-1' }],
    })
    const two = await call(idp, 'POST', '/admin/faults', [
      { kind: 'jwt-alg-none', sp: spUrl, remaining: 1 },
      { kind: 'jwks', answer: 'slow', delayMs: 2000 },
    ])
    expect(two.status).toBe(201)
    const listed = (await (await call(idp, 'GET', '/admin/faults')).json()) as {
      faults: { id: string }[]
    }
    expect(listed.faults.map((fault) => fault.id)).toEqual(['fault-1', 'fault-2', 'fault-3'])

    const removed = await call(idp, 'DELETE', '/admin/faults/fault-2')
    expect(await removed.json()).toMatchObject({ removed: { id: 'fault-2', kind: 'jwt-alg-none' } })
    const missing = await apiError(await call(idp, 'DELETE', '/admin/faults/fault-2'))
    expect(missing).toMatchObject({ status: 404, code: 'NOT_FOUND' })

    expect(await (await call(idp, 'DELETE', '/admin/faults')).json()).toEqual({ cleared: 2 })
    expect(await (await call(idp, 'GET', '/admin/faults')).json()).toEqual({ faults: [] })
  })

  it.each([
    [{ kind: 'saml-clock-skew' }, 'fault: skew: '],
    [{ kind: 'saml-mismatch', field: 'Colour' }, 'fault: field: '],
    [[{ kind: 'jwt-alg-none' }, { kind: 'jwt-kid-unknown', value: '' }], 'faults.1: value: '],
    ['{not json', 'the request body is not valid JSON'],
  ])(
    'answers %o with 400 CONFIG_INVALID naming the bad path, and adds nothing',
    async (body, reason) => {
      const { idp } = await createInProcessPair()
      const error = await apiError(await call(idp, 'POST', '/admin/faults', body))
      expect(error).toMatchObject({ status: 400, code: 'CONFIG_INVALID' })
      expect(error.reason.startsWith(reason)).toBe(true)
      expect(idp.faults.list()).toEqual([])
    },
  )

  it('publishes a certificate-validity fault’s certificate in the metadata once the POST answers', async () => {
    const { idp } = await createInProcessPair()
    await call(idp, 'POST', '/admin/faults', {
      kind: 'saml-certificate-validity',
      validity: 'not-yet-valid',
    })
    const metadata = await (await call(idp, 'GET', '/saml/metadata')).text()
    expect(metadata.match(/<ds:X509Certificate>/g)).toHaveLength(2)
  })
})

describe('/admin/journal', () => {
  it('lists what each SP sent, narrowed by ?sp= and ?message=, and forgets it', async () => {
    const pair = await createInProcessPair({ spRegistration: { responseBinding: 'artifact' } })
    pair.idp.queueLogin('alice')
    await pair.agent().navigate(`${spUrl}/login?return_url=/account`)
    const spEntityId = `${spUrl}/saml/metadata`

    const all = (await (await call(pair.idp, 'GET', '/admin/journal')).json()) as {
      journal: { message: string }[]
    }
    expect(all.journal.map((entry) => entry.message)).toEqual(['AuthnRequest', 'ArtifactResolve'])
    const requests = await call(
      pair.idp,
      'GET',
      `/admin/journal?sp=${encodeURIComponent(spEntityId)}&message=AuthnRequest`,
    )
    expect(await requests.json()).toEqual({
      journal: [
        {
          seq: 1,
          at: '2030-01-01T12:00:00Z',
          sp: spEntityId,
          message: 'AuthnRequest',
          id: expect.stringMatching(/^_/),
          binding: 'redirect',
          signed: false,
          acsUrl: `${spUrl}/saml/acs`,
          acsUrlRequested: `${spUrl}/saml/acs`,
          acsIndexRequested: null,
          forceAuthn: false,
          isPassive: false,
          destination: pair.idp.config.urls.sso,
          relayState: true,
        },
      ],
    })
    expect(pair.idp.journal.list({ message: 'ArtifactResolve' })).toMatchObject([
      { sp: spEntityId, signed: true, answer: 'message' },
    ])
    const other = await call(pair.idp, 'GET', '/admin/journal?sp=https%3A%2F%2Fnobody.example')
    expect(await other.json()).toEqual({ journal: [] })

    expect((await call(pair.idp, 'DELETE', '/admin/journal')).status).toBe(204)
    expect(pair.idp.journal.list()).toEqual([])
  })
})
