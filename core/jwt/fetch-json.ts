import { type ErrorCode, SsoError } from '../errors/index.ts'
import { causeOf, readCapped } from '../http/outbound.ts'

export interface FetchJsonOptions {
  fetch: typeof fetch
  url: string
  init?: RequestInit
  timeoutMs: number
  /** Larger answers are refused (default 256 KiB). */
  maxBytes?: number
  /** The code and check every failure is reported under (e.g. JWT_JWKS_UNAVAILABLE, `JWKS`). */
  failure: { code: ErrorCode; check: string }
}

export interface JsonAnswer {
  status: number
  headers: Headers
  json: unknown
}

export interface TextAnswer {
  status: number
  headers: Headers
  text: string
}

/**
 * One outbound JSON request through the injected fetch, within `timeoutMs` (body included),
 * size-capped. A timeout, an unreachable host, an oversized or non-JSON body is an SsoError with
 * the caller's code; the status is the caller's to judge. Nothing of the body goes into errors.
 */
export async function fetchJson(options: FetchJsonOptions): Promise<JsonAnswer> {
  const answer = await fetchText(options)
  try {
    return { status: answer.status, headers: answer.headers, json: JSON.parse(answer.text) }
  } catch {
    throw failure(options, 'the answer is not JSON', { status: answer.status })
  }
}

/**
 * The same request when the answer may be JSON or a JWT (application/jwt: signed userinfo,
 * distributed claims): the body as text, with the same time and size caps and errors.
 */
export async function fetchText(options: FetchJsonOptions): Promise<TextAnswer> {
  const signal = AbortSignal.timeout(options.timeoutMs)
  const fail = (cause: string, extra: Record<string, number> = {}) => failure(options, cause, extra)
  let response: Response
  let text: string | undefined
  try {
    response = await options.fetch(options.url, {
      ...options.init,
      headers: { Accept: 'application/json', ...headersOf(options.init?.headers) },
      redirect: 'manual',
      signal,
    })
    text = await readCapped(response, options.maxBytes ?? 256 * 1024)
  } catch (error) {
    if (signal.aborted)
      throw fail(`no answer within ${options.timeoutMs} ms`, { timeoutMs: options.timeoutMs })
    throw fail(`unreachable (${causeOf(error)})`)
  }
  if (text === undefined) throw fail('the answer exceeds the size cap', { status: response.status })
  return { status: response.status, headers: response.headers, text }
}

function failure(
  options: FetchJsonOptions,
  cause: string,
  extra: Record<string, number> = {},
): SsoError {
  const { code, check } = options.failure
  return new SsoError(
    code,
    check,
    `${check} request to ${redactedUrl(options.url)} failed: ${cause}`,
    {
      url: redactedUrl(options.url),
      cause,
      ...extra,
    },
  )
}

function headersOf(init: ConstructorParameters<typeof Headers>[0]): Record<string, string> {
  return init ? Object.fromEntries(new Headers(init).entries()) : {}
}

/** The URL without its query string, which may carry secrets. */
function redactedUrl(url: string): string {
  const index = url.search(/[?#]/)
  return (index === -1 ? url : url.slice(0, index)).slice(0, 300)
}
