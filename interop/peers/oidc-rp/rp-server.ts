import { randomBytes } from 'node:crypto'
import { readFileSync } from 'node:fs'
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http'

/**
 * The small web application the lab wraps around a relying-party library (openid-client,
 * oauth4webapi; authlib_rp.py speaks the same routes): the library does the protocol, this file
 * only keeps the browser's pending sign-in and tokens and reports what the library accepted.
 *
 *   GET /<profile>/login     a fresh state, nonce and PKCE verifier; 302 to the authorization URL
 *   GET /<profile>/callback  the library validates the answer, redeems the code, fetches userinfo
 *   GET /<profile>/refresh   the library redeems the refresh token and validates the new ID token
 *   GET /health              200 once listening
 *
 * Every answer is JSON: `RpReport`, or `{error}` with status 400 when the library refused.
 */

export interface RpProfile {
  clientId: string
  /** Absent: a public client (token endpoint auth `none`, PKCE only). */
  clientSecret?: string
  auth: 'client_secret_basic' | 'client_secret_post' | 'none'
  idTokenAlg: 'RS256' | 'ES256'
}

export interface RpConfig {
  port: number
  issuer: string
  /** `<baseUrl>/<profile>/callback` is each profile's redirect URI. */
  baseUrl: string
  profiles: Record<string, RpProfile>
}

export interface RpReport {
  library: string
  profile: string
  step: 'callback' | 'refresh'
  idToken: { alg: string; claims: Record<string, unknown> }
  userinfo?: Record<string, unknown>
  refreshToken: boolean
}

/** What a library adapter gets from a login and hands back to its callback. */
export interface Pending {
  state: string
  nonce: string
  verifier: string
}

export interface TokenResult {
  idToken: string
  claims: Record<string, unknown>
  accessToken: string
  refreshToken?: string
  userinfo?: Record<string, unknown>
}

export interface RpAdapter {
  library: string
  authorizationUrl(profile: string, pending: Pending, redirectUri: string): Promise<string>
  callback(profile: string, pending: Pending, currentUrl: URL): Promise<TokenResult>
  refresh(profile: string, refreshToken: string, previous: TokenResult): Promise<TokenResult>
}

/** A token endpoint answer and the ID token claims the library validated, as the app keeps them. */
export function tokenResult(
  answer: { id_token?: string; access_token: string; refresh_token?: string },
  claims: object | undefined,
): TokenResult {
  if (!answer.id_token || !claims) throw new Error('the token response has no ID token')
  return {
    idToken: answer.id_token,
    claims: { ...claims },
    accessToken: answer.access_token,
    ...(answer.refresh_token ? { refreshToken: answer.refresh_token } : {}),
  }
}

export function readRpConfig(path: string | undefined): RpConfig {
  if (!path) throw new Error('usage: <rp> <config.json>')
  return JSON.parse(readFileSync(path, 'utf8')) as RpConfig
}

/** Random URL-safe text for state, nonce and the PKCE verifier (RFC 7636 §4.1: 43+ chars). */
export function randomText(): string {
  return randomBytes(32).toString('base64url')
}

interface Browser {
  pending?: { profile: string } & Pending
  tokens?: { profile: string } & TokenResult
}

export function serveRelyingParty(config: RpConfig, adapter: RpAdapter): void {
  const browsers = new Map<string, Browser>()
  const server = createServer((request, response) => {
    handle(request, response).catch((error: unknown) => {
      const message = error instanceof Error ? `${error.name}: ${error.message}` : String(error)
      send(response, 400, { error: message })
    })
  })
  async function handle(request: IncomingMessage, response: ServerResponse) {
    const url = new URL(request.url ?? '/', config.baseUrl)
    if (url.pathname === '/health') return send(response, 200, { library: adapter.library })
    const [, profile = '', action = ''] = url.pathname.split('/')
    if (!config.profiles[profile]) return send(response, 404, { error: `no profile ${profile}` })
    const cookie = /(?:^|;\s*)rp=([\w-]+)/.exec(request.headers.cookie ?? '')?.[1]
    const id = cookie && browsers.has(cookie) ? cookie : randomText()
    const browser = browsers.get(id) ?? {}
    browsers.set(id, browser)
    response.setHeader('Set-Cookie', `rp=${id}; Path=/; HttpOnly; SameSite=Lax`)
    const redirectUri = `${config.baseUrl}/${profile}/callback`
    if (action === 'login') {
      const pending = { state: randomText(), nonce: randomText(), verifier: randomText() }
      browser.pending = { profile, ...pending }
      response.writeHead(302, {
        Location: await adapter.authorizationUrl(profile, pending, redirectUri),
      })
      return response.end()
    }
    if (action === 'callback') {
      const pending = browser.pending
      if (pending?.profile !== profile) throw new Error('no sign-in pending for this browser')
      browser.pending = undefined
      const result = await adapter.callback(profile, pending, url)
      browser.tokens = { profile, ...result }
      return send(response, 200, report(adapter.library, profile, 'callback', result))
    }
    if (action === 'refresh') {
      const tokens = browser.tokens
      if (tokens?.profile !== profile || !tokens.refreshToken) {
        throw new Error('no refresh token for this browser')
      }
      const result = await adapter.refresh(profile, tokens.refreshToken, tokens)
      browser.tokens = { profile, ...result }
      return send(response, 200, report(adapter.library, profile, 'refresh', result))
    }
    send(response, 404, { error: `no action ${action}` })
  }
  server.listen(config.port, '127.0.0.1')
}

function report(
  library: string,
  profile: string,
  step: RpReport['step'],
  result: TokenResult,
): RpReport {
  return {
    library,
    profile,
    step,
    idToken: { alg: headerAlg(result.idToken), claims: result.claims },
    ...(result.userinfo ? { userinfo: result.userinfo } : {}),
    refreshToken: result.refreshToken !== undefined,
  }
}

/** The `alg` of a compact JWS the library accepted (its header, decoded). */
function headerAlg(jwt: string): string {
  const header = JSON.parse(Buffer.from(jwt.split('.')[0] ?? '', 'base64url').toString('utf8'))
  return String(header.alg)
}

function send(response: ServerResponse, status: number, body: unknown) {
  response.writeHead(status, { 'Content-Type': 'application/json; charset=utf-8' })
  response.end(JSON.stringify(body))
}
