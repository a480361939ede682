import type { Clock } from '../../core/clock/index.ts'
import { isoInstant } from '../../core/clock/index.ts'
import { decodeRedirect } from '../../core/saml/redirect.ts'
import { decodeExchange, redactUrl } from '../../core/trace/decode.ts'
import { isElement, parseXml } from '../../core/xml/index.ts'
import { readAuthnRequest } from '../../idp/sso/authn-request.ts'
import type { TraceEntry } from '../../reports/model.ts'
import type { RequestHandler } from '../http-driver/user-agent.ts'

/**
 * A sign-in request as the IdP received it, for `expect: idp received`: a SAML AuthnRequest
 * (HTTP-Redirect or HTTP-POST), a JWT remote-login request or an OIDC authorization request.
 */
export interface ReceivedAuthnRequest {
  binding: 'redirect' | 'post' | 'jwt' | 'oidc'
  /** SAML: the AssertionConsumerServiceURL; JWT: the return_url; OIDC: the redirect_uri. */
  acsUrl: string | undefined
  issuer: string | undefined
  forceAuthn: boolean
  /** SAML IsPassive; OIDC and JWT `prompt=none`. */
  passive: boolean
  signed: boolean
  /** OIDC: the `code_challenge_method` (RFC 7636), `none` without a `code_challenge`. */
  pkce?: string
}

// The IdP's remote-login URL (JWT) and authorization endpoint (OIDC): a GET there is the SP's
// sign-in request; the login form's POST back is the visitor's answer, not a new request.
const tokenLoginPaths: Record<string, 'jwt' | 'oidc'> = {
  '/jwt/login': 'jwt',
  '/oidc/authorize': 'oidc',
}

/** Where the IdP's answer reaches the SP under JWT (`?token=`) and OIDC (`?code=&state=`). */
const tokenCallbackPaths = new Set(['/jwt/callback', '/oidc/callback'])

/** One HTTP exchange as a driver saw it, before decoding. */
export interface RawExchange {
  method: string
  url: string
  status: number
  location?: string | undefined
  requestBody?: string | undefined
  requestContentType?: string | undefined
  responseBody?: string | undefined
  responseContentType?: string | undefined
}

/**
 * Records what passes between browser, IdP and SP (and the SP's back channel to the IdP), on
 * the virtual clock, decoded and redacted for the report. It also keeps a small journal of the
 * AuthnRequests the IdP received, which scenario expectations read.
 */
export class TraceRecorder {
  private pending: TraceEntry[] = []
  readonly authnRequests: ReceivedAuthnRequest[] = []
  /** How many SOAP requests reached the IdP's artifact resolution service. */
  artifactResolves = 0
  /**
   * The last delivery to the SP's ACS — a POSTed form or an artifact redirect — or to its JWT or
   * OIDC callback, kept raw in memory (never in a report) so a scenario can replay it.
   */
  lastAcsDelivery: { url: string; form?: Record<string, string> } | undefined
  /** The parties a request with a non-empty `password` field (query or form) went to. */
  readonly passwordFieldsTo = new Set<string>()

  constructor(
    private readonly clock: Clock,
    private readonly parties: Record<string, string>,
    private readonly idpSsoPath = '/saml/sso',
    private readonly spAcsPath = '/saml/acs',
    private readonly idpArtifactPath = '/saml/artifact',
  ) {}

  record(exchange: RawExchange): void {
    let origin = ''
    let path = ''
    try {
      const url = new URL(exchange.url)
      origin = url.origin
      path = url.pathname
    } catch {
      // recorded as is
    }
    const party = this.parties[origin] ?? origin
    if (party === 'idp' && path === this.idpSsoPath) this.noteAuthnRequest(exchange)
    if (party === 'idp' && exchange.method === 'GET' && path in tokenLoginPaths) {
      const query = new URL(exchange.url).searchParams
      const binding = tokenLoginPaths[path] as 'jwt' | 'oidc'
      this.authnRequests.push({
        binding,
        acsUrl:
          (binding === 'jwt' ? query.get('return_url') : query.get('redirect_uri')) ?? undefined,
        issuer: query.get('client_id') ?? undefined,
        forceAuthn: query.get('prompt') === 'login',
        passive: query.get('prompt') === 'none',
        signed: false,
        ...(binding === 'oidc'
          ? {
              pkce: query.has('code_challenge')
                ? (query.get('code_challenge_method') ?? 'plain')
                : 'none',
            }
          : {}),
      })
    }
    if (party === 'idp' && path === this.idpArtifactPath) this.artifactResolves++
    if (carriesPassword(exchange)) this.passwordFieldsTo.add(party)
    if (party === 'sp' && (path === this.spAcsPath || tokenCallbackPaths.has(path))) {
      this.lastAcsDelivery =
        exchange.method === 'POST'
          ? {
              url: exchange.url,
              form: Object.fromEntries(new URLSearchParams(exchange.requestBody ?? '')),
            }
          : { url: exchange.url }
    }
    this.pending.push({
      at: isoInstant(this.clock.now()),
      method: exchange.method,
      url: redactUrl(exchange.url),
      status: exchange.status,
      ...(exchange.location
        ? { location: redactUrl(new URL(exchange.location, exchange.url).toString()) }
        : {}),
      party,
      messages: decodeExchange(exchange),
    })
  }

  /** The entries recorded since the last call (they belong to the step that just ran). */
  drain(): TraceEntry[] {
    const out = this.pending
    this.pending = []
    return out
  }

  private noteAuthnRequest(exchange: RawExchange): void {
    try {
      if (exchange.method === 'GET') {
        const rawQuery = exchange.url.split('?')[1] ?? ''
        const decoded = decodeRedirect(rawQuery, 'SAMLRequest')
        const request = readAuthnRequest(parseXml(decoded.xml))
        this.authnRequests.push({
          binding: 'redirect',
          acsUrl: request.assertionConsumerServiceUrl,
          issuer: request.issuer,
          forceAuthn: request.forceAuthn,
          passive: request.isPassive,
          signed: decoded.signature !== undefined,
        })
      } else if (exchange.requestBody) {
        const value = new URLSearchParams(exchange.requestBody).get('SAMLRequest')
        if (!value) return
        const document = parseXml(Buffer.from(value, 'base64').toString('utf8'))
        const request = readAuthnRequest(document)
        const signed = [...Array.from(request.element.childNodes)].some(
          (node) => isElement(node) && node.localName === 'Signature',
        )
        this.authnRequests.push({
          binding: 'post',
          acsUrl: request.assertionConsumerServiceUrl,
          issuer: request.issuer,
          forceAuthn: request.forceAuthn,
          passive: request.isPassive,
          signed,
        })
      }
    } catch {
      // Not a readable AuthnRequest: the IdP's own answer (in the trace) says why.
    }
  }
}

/** Wraps a handler so each exchange, bodies included, is recorded. */
export function tracedHandler(handler: RequestHandler, trace: TraceRecorder): RequestHandler {
  return async (request) => {
    const requestBody = request.method === 'GET' ? undefined : await request.clone().text()
    const response = await handler(request)
    const responseType = response.headers.get('content-type') ?? undefined
    const readable = responseType && /html|xml|json/.test(responseType)
    trace.record({
      method: request.method,
      url: request.url,
      status: response.status,
      location: response.headers.get('location') ?? undefined,
      requestBody,
      requestContentType: request.headers.get('content-type') ?? undefined,
      responseBody: readable ? await response.clone().text() : undefined,
      responseContentType: responseType,
    })
    return response
  }
}

function carriesPassword(exchange: RawExchange): boolean {
  const query = URL.canParse(exchange.url) ? new URL(exchange.url).searchParams : undefined
  const form = exchange.requestContentType?.includes('application/x-www-form-urlencoded')
    ? new URLSearchParams(exchange.requestBody ?? '')
    : undefined
  return [query, form].some((params) => (params?.get('password') ?? '') !== '')
}
