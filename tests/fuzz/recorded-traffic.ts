import { parse } from 'node-html-parser'
import { type RequestHandler, UserAgent } from '../../harness/http-driver/user-agent.ts'
import { idpUrl, spUrl } from '../fixtures/in-process.ts'
import { fuzzPair } from './fuzz-pair.ts'

/**
 * The real IdP and SP with every exchange recorded (browser and the SP's back channel), and the
 * secrets read from that traffic: what the secrets tests look for in error pages, log lines and
 * the SP database.
 */
export interface Exchange {
  url: string
  requestBody: string
  requestHeaders: Headers
  status: number
  headers: Headers
  body: string
}

/** Parameters and fields whose values are bearer secrets. */
export const secretNames = [
  'SAMLResponse',
  'SAMLRequest',
  'SAMLart',
  'Signature',
  'token',
  'code',
  'id_token',
  'access_token',
  'refresh_token',
  'id_token_hint',
  'password',
  'client_secret',
  'code_verifier',
  'state',
  'nonce',
]

function record(
  handler: RequestHandler,
  into: Exchange[],
  after: ReadonlyArray<() => void>,
): RequestHandler {
  return async (request) => {
    const requestBody = request.method === 'POST' ? await request.clone().text() : ''
    const response = await handler(request)
    into.push({
      url: request.url,
      requestBody,
      requestHeaders: new Headers(request.headers),
      status: response.status,
      headers: response.headers,
      body: await response.clone().text(),
    })
    for (const listener of after) listener()
    return response
  }
}

/**
 * The pair with its browser traffic and its back channel recorded into `exchanges`; each of
 * `afterExchange` runs once the IdP or the SP has answered a browser request.
 */
export async function recordedPair(overrides: Parameters<typeof fuzzPair>[0] = {}) {
  const pair = await fuzzPair(overrides)
  const exchanges: Exchange[] = []
  const afterExchange: Array<() => void> = []
  pair.backChannel.rewrite = async (sent, answer) => {
    const body = await answer.text()
    exchanges.push({
      url: sent.url,
      requestBody: sent.body,
      requestHeaders: sent.headers,
      status: answer.status,
      headers: answer.headers,
      body,
    })
    return new Response(body, { status: answer.status, headers: answer.headers })
  }
  const agent = () =>
    new UserAgent({
      origins: {
        [idpUrl]: record(pair.idp.app.fetch, exchanges, afterExchange),
        [spUrl]: record(pair.sp.app.fetch, exchanges, afterExchange),
      },
    })
  return { pair, exchanges, agent, afterExchange }
}

/** Every secret the traffic carried, by kind. */
export function secretsOf(exchanges: readonly Exchange[]): Map<string, Set<string>> {
  const found = new Map<string, Set<string>>()
  const add = (kind: string, value: string | null | undefined) => {
    if (!value || value.length < 12) return
    if (!found.has(kind)) found.set(kind, new Set())
    found.get(kind)?.add(value)
    if (/^[\w-]+\.[\w-]+\.[\w-]*$/.test(value) && value.startsWith('eyJ')) {
      for (const segment of value.split('.')) add('JWT segment', segment)
    }
    if (kind === 'SAMLResponse' || kind === 'SAMLRequest') {
      addXml(Buffer.from(value, 'base64').toString('utf8'))
    }
  }
  const addXml = (xml: string) => {
    for (const match of xml.matchAll(/<saml:Assertion[\s\S]*?<\/saml:Assertion>/g)) {
      add('Assertion XML', match[0])
    }
    for (const match of xml.matchAll(/<ds:SignatureValue>([^<]+)</g)) {
      add('SignatureValue', match[1]?.replace(/\s/g, ''))
    }
  }
  const addParams = (params: URLSearchParams) => {
    for (const name of secretNames) for (const value of params.getAll(name)) add(name, value)
  }
  for (const exchange of exchanges) {
    addParams(new URL(exchange.url).searchParams)
    if (exchange.requestBody.includes('=') && !exchange.requestBody.startsWith('<')) {
      addParams(new URLSearchParams(exchange.requestBody))
    }
    const location = exchange.headers.get('location')
    if (location) addParams(new URL(location, exchange.url).searchParams)
    const authorization = exchange.requestHeaders.get('authorization') ?? ''
    if (authorization.startsWith('Bearer ')) add('access_token', authorization.slice(7))
    if (authorization.startsWith('Basic ')) {
      const pair = Buffer.from(authorization.slice(6), 'base64').toString('utf8')
      add('client_secret', decodeURIComponent(pair.slice(pair.indexOf(':') + 1)))
    }
    for (const cookie of exchange.headers.getSetCookie()) {
      add('cookie', cookie.slice(cookie.indexOf('=') + 1).split(';')[0])
    }
    // The SOAP back channel carries the ArtifactResponse and its Response as XML.
    if (exchange.body.startsWith('<')) addXml(exchange.body)
    if (exchange.status < 400) {
      try {
        const json = JSON.parse(exchange.body) as Record<string, unknown>
        for (const name of secretNames) {
          if (typeof json[name] === 'string') add(name, json[name] as string)
        }
      } catch {
        for (const input of parse(exchange.body).querySelectorAll('input[type=hidden]')) {
          const name = input.getAttribute('name') ?? ''
          if (secretNames.includes(name)) add(name, input.getAttribute('value'))
        }
      }
    }
  }
  return found
}

/** A PEM private key, whole and as the lines of its base64 body. */
export function keySecrets(pem: string): string[] {
  const lines = pem.split('\n').filter((line) => line !== '' && !line.startsWith('-----'))
  return [pem.trim(), lines.join(''), ...lines.filter((line) => line.length >= 40)]
}
