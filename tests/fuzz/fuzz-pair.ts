import type { Hono } from 'hono'
import { createInProcessPair, idpUrl, inProcessFetch } from '../fixtures/in-process.ts'

/** What the SP sent the IdP over its back channel (artifact resolution, token, userinfo, JWKS). */
export interface SentRequest {
  url: string
  method: string
  headers: Headers
  body: string
}

export interface BackChannel {
  /** The last requests the SP sent, oldest first (the latest few only). */
  sent: SentRequest[]
  /** When set, every answer of the IdP passes through it: an IdP that misbehaves. */
  rewrite: ((request: SentRequest, answer: Response) => Response | Promise<Response>) | undefined
  /** When set and it answers, the request never reaches the IdP (to keep a code unspent). */
  intercept: ((request: SentRequest) => Response | undefined) | undefined
}

/** The in-process pair, with the SP's back channel to the IdP recorded and rewritable. */
export async function fuzzPair(overrides: Parameters<typeof createInProcessPair>[0] = {}) {
  let idpApp: Hono | undefined
  const toIdp = inProcessFetch(idpUrl, () => idpApp)
  const backChannel: BackChannel = { sent: [], rewrite: undefined, intercept: undefined }
  const spFetch: typeof fetch = async (input, init) => {
    const request = new Request(input, init)
    const sent = {
      url: request.url,
      method: request.method,
      headers: new Headers(request.headers),
      body: await request.clone().text(),
    }
    backChannel.sent = [...backChannel.sent.slice(-7), sent]
    const intercepted = backChannel.intercept?.(sent)
    if (intercepted) return intercepted
    const answer = await toIdp(request)
    return backChannel.rewrite ? backChannel.rewrite(sent, answer) : answer
  }
  const pair = await createInProcessPair({ spFetch, ...overrides })
  idpApp = pair.idp.app
  return { ...pair, backChannel }
}

export type FuzzPair = Awaited<ReturnType<typeof fuzzPair>>

/** The SP answered with a new session: its session cookie is set (not cleared). */
export function startedSession(pair: FuzzPair, answer: { headers: Headers }): boolean {
  const name = pair.sp.sessionCookie
  return answer.headers
    .getSetCookie()
    .some((cookie) => cookie.startsWith(`${name}=`) && !cookie.startsWith(`${name}=;`))
}
