import { inflateRawSync } from 'node:zlib'
import fc from 'fast-check'
import { beforeAll, describe, expect, it } from 'vitest'
import { newId } from '../../core/random/index.ts'
import { soapAction, soapContentType, soapEnvelope } from '../../core/saml/soap.ts'
import { buildArtifactResolve } from '../../sp/artifact/build-artifact-resolve.ts'
import { idpUrl, spUrl } from '../fixtures/in-process.ts'
import { CodeTally, expectClearAnswer, send } from './answer.ts'
import { type FuzzPair, fuzzPair, type SentRequest } from './fuzz-pair.ts'
import { fuzzParameters, fuzzTimeoutMs, reportTally } from './fuzz-settings.ts'
import { guardProcess } from './process-guard.ts'
import {
  applyTemplateEdits,
  type RequestTemplate,
  templateEdits,
  templateOf,
} from './request-template.ts'
import { oidcCallback, samlArtifact, signedIn, spLogoutRequest } from './valid-messages.ts'

/**
 * Every IdP endpoint a service provider or a browser reaches, each fed mutations of a valid
 * request the real SP (or browser) sent it. `fresh` endpoints spend what they are sent (a code,
 * an artifact, a login flow), so each run starts from a new valid request.
 */
interface Endpoint {
  name: string
  pair: () => FuzzPair
  valid: () => Promise<RequestTemplate>
  fresh: boolean
  runs: number
}

/** One pair per protocol the IdP speaks, made before the tests. */
const pairs = {} as Record<'saml' | 'artifact' | 'jwt' | 'oidc', FuzzPair>

async function redirectFromSp(pair: FuzzPair, path = '/login'): Promise<string> {
  const answer = await pair.sp.app.request(`${spUrl}${path}`)
  const location = answer.headers.get('location') ?? ''
  expect(location.startsWith(idpUrl), `${path} → ${location}`).toBe(true)
  return location
}

function formOf(sent: SentRequest): [string, string][] {
  return [...new URLSearchParams(sent.body)]
}

const endpoints: Endpoint[] = [
  {
    name: 'GET /saml/sso (HTTP-Redirect AuthnRequest)',
    pair: () => pairs.saml,
    valid: async () => templateOf('GET', await redirectFromSp(pairs.saml)),
    fresh: false,
    runs: 60,
  },
  {
    name: 'POST /saml/sso (HTTP-POST AuthnRequest)',
    pair: () => pairs.saml,
    valid: async () => {
      const url = new URL(await redirectFromSp(pairs.saml))
      const xml = inflateRawSync(Buffer.from(url.searchParams.get('SAMLRequest') ?? '', 'base64'))
      return templateOf('POST', `${url.origin}${url.pathname}`, {
        form: [
          ['SAMLRequest', xml.toString('base64')],
          ['RelayState', url.searchParams.get('RelayState') ?? '/'],
        ],
        headers: [['content-type', 'application/x-www-form-urlencoded']],
      })
    },
    fresh: false,
    runs: 60,
  },
  {
    name: 'POST /login (the login form, a user with a password)',
    pair: () => pairs.saml,
    valid: async () => {
      const browser = pairs.saml.agent()
      const form = await browser.navigate(await redirectFromSp(pairs.saml))
      const field = (name: string) =>
        form.document.querySelector(`input[name="${name}"]`)?.getAttribute('value') ?? ''
      return templateOf('POST', `${idpUrl}/login`, {
        form: [
          ['flow', field('flow')],
          ['username', 'carol'],
          ['password', 'carol-secret'],
          ['action', 'login'],
          ['form_token', field('form_token')],
        ],
        headers: [
          ['content-type', 'application/x-www-form-urlencoded'],
          ['cookie', await browser.jar.getCookieString(idpUrl)],
        ],
      })
    },
    fresh: true,
    runs: 40,
  },
  {
    name: 'GET /saml/slo (the SP’s LogoutRequest)',
    pair: () => pairs.saml,
    valid: async () => templateOf('GET', (await spLogoutRequest(pairs.saml)).url.href),
    fresh: false,
    runs: 60,
  },
  {
    name: 'POST /saml/artifact (ArtifactResolve over SOAP)',
    pair: () => pairs.artifact,
    valid: async () => {
      const { samlart } = await samlArtifact(pairs.artifact)
      const options = pairs.artifact.sp.config
      const resolve = buildArtifactResolve(
        {
          id: newId(options.random),
          issueInstant: options.clock.now(),
          destination: `${idpUrl}/saml/artifact`,
          issuer: options.entityId,
          artifact: samlart,
        },
        options.credential,
      )
      return templateOf('POST', `${idpUrl}/saml/artifact`, {
        raw: soapEnvelope(resolve),
        headers: [
          ['content-type', soapContentType],
          ['soapaction', `"${soapAction}"`],
        ],
      })
    },
    fresh: true,
    runs: 40,
  },
  {
    name: 'GET /jwt/login (the remote login URL)',
    pair: () => pairs.jwt,
    valid: async () => templateOf('GET', await redirectFromSp(pairs.jwt)),
    fresh: false,
    runs: 60,
  },
  {
    name: 'GET /oidc/authorize',
    pair: () => pairs.oidc,
    valid: async () => templateOf('GET', await redirectFromSp(pairs.oidc)),
    fresh: false,
    runs: 60,
  },
  {
    name: 'POST /oidc/authorize',
    pair: () => pairs.oidc,
    valid: async () => {
      const url = new URL(await redirectFromSp(pairs.oidc))
      return templateOf('POST', `${url.origin}${url.pathname}`, {
        form: [...url.searchParams],
        headers: [['content-type', 'application/x-www-form-urlencoded']],
      })
    },
    fresh: false,
    runs: 40,
  },
  {
    name: 'POST /oidc/token (authorization_code, a code not yet spent)',
    pair: () => pairs.oidc,
    valid: async () => {
      const pair = pairs.oidc
      const { agent, url } = await oidcCallback(pair)
      // The SP's token request is recorded and held back, so its code stays unspent.
      pair.backChannel.intercept = (sent) =>
        sent.url.endsWith('/oidc/token') ? new Response('held', { status: 503 }) : undefined
      try {
        await agent.request(url.href, { from: `${idpUrl}/` })
      } finally {
        pair.backChannel.intercept = undefined
      }
      const sent = pair.backChannel.sent.findLast((request) => request.url.endsWith('/oidc/token'))
      expect(sent).toBeDefined()
      return templateOf('POST', sent?.url ?? '', {
        form: formOf(sent as SentRequest),
        headers: [...(sent as SentRequest).headers],
      })
    },
    fresh: true,
    runs: 40,
  },
  {
    name: 'GET /oidc/userinfo (Bearer access token)',
    pair: () => pairs.oidc,
    valid: async () => {
      const pair = pairs.oidc
      const { agent, url } = await oidcCallback(pair)
      await agent.request(url.href, { from: `${idpUrl}/` })
      const sent = pair.backChannel.sent.findLast((request) => request.url.endsWith('/userinfo'))
      expect(sent).toBeDefined()
      return templateOf('GET', sent?.url ?? '', { headers: [...(sent as SentRequest).headers] })
    },
    fresh: false,
    runs: 40,
  },
]

describe('fuzz: the IdP endpoints', () => {
  guardProcess()
  beforeAll(async () => {
    pairs.saml = await fuzzPair()
    pairs.artifact = await fuzzPair({ spRegistration: { responseBinding: 'artifact' } })
    pairs.jwt = await fuzzPair({ protocol: 'jwt' })
    pairs.oidc = await fuzzPair({ protocol: 'oidc' })
    // A browser signed in at the SAML pair's IdP makes its SLO requests meaningful.
    await signedIn(pairs.saml)
  })

  for (const endpoint of endpoints) {
    it(
      `${endpoint.name}: mutated valid requests get no 5xx, in time, a stable code on refusal`,
      async () => {
        const tally = new CodeTally()
        let valid = await endpoint.valid()
        const property = fc.asyncProperty(templateEdits, async (edits) => {
          if (endpoint.fresh) valid = await endpoint.valid()
          const answer = await send(endpoint.pair().idp.app.fetch, applyTemplateEdits(valid, edits))
          expectClearAnswer(answer, endpoint.name)
          tally.add(answer)
        })
        await fc.assert(property, fuzzParameters(endpoint.runs))
        reportTally(endpoint.name, tally)
        // Some requests were refused, and some still went through.
        expect(tally.codes.some((code) => !/^[23]\d\d$/.test(code))).toBe(true)
        expect(tally.codes.some((code) => /^[23]\d\d$/.test(code))).toBe(true)
      },
      fuzzTimeoutMs,
    )
  }
})
