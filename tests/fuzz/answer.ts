import { expect } from 'vitest'
import { errorCodes } from '../../core/errors/index.ts'

/** Something that answers requests in-process: a Hono app's fetch. */
export type Handler = (request: Request) => Response | Promise<Response>

export interface Answer {
  status: number
  headers: Headers
  body: string
  /** The stable code of an error answer (page, JSON, OAuth JSON or SOAP fault); else undefined. */
  code: string | undefined
  /**
   * The CPU time this process spent on the request (user and system), in milliseconds: unlike
   * wall time it does not grow when other test workers load the machine.
   */
  ms: number
}

/** The bound on one request's time (README of tests/fuzz). */
export const maxRequestMs = 2_000

/** Sends one request in-process and reads the whole answer, timed. */
export async function send(handler: Handler, request: Request): Promise<Answer> {
  const started = process.cpuUsage()
  const response = await handler(request)
  const body = await response.text()
  const spent = process.cpuUsage(started)
  const ms = (spent.user + spent.system) / 1000
  return { status: response.status, headers: response.headers, body, code: codeOf(body), ms }
}

/**
 * The properties every fuzzed answer has: no 5xx, within the time bound, and a refusal (4xx)
 * that says why with a stable code — an error page or JSON with a known ssoproof code, an OAuth
 * error, a SOAP fault, or the IdP's login form with its error line.
 */
export function expectClearAnswer(answer: Answer, what: string): void {
  const shown = `${what}: ${answer.status} ${answer.code ?? answer.body.slice(0, 200)}`
  expect(answer.status, shown).toBeLessThan(500)
  expect(answer.ms, shown).toBeLessThan(maxRequestMs)
  if (answer.status >= 400) {
    const loginFormError = answer.body.includes('id="login-error"')
    expect(answer.code !== undefined || loginFormError, shown).toBe(true)
  }
}

const ssoCode = /id="error-code">([A-Z0-9_]+)</
const soapFaultCode = /<faultcode>([^<]+)<\/faultcode>/

function codeOf(body: string): string | undefined {
  const page = ssoCode.exec(body)?.[1]
  if (page !== undefined) return known(page)
  const fault = soapFaultCode.exec(body)?.[1]
  if (fault !== undefined) return fault
  let json: unknown
  try {
    json = JSON.parse(body)
  } catch {
    return undefined
  }
  const error = (json as { error?: unknown } | null)?.error
  // OAuth 2 (RFC 6749 §5.2): an ASCII error code.
  if (typeof error === 'string') return /^[a-z_]+$/.test(error) ? error : undefined
  const code = (error as { code?: unknown } | null | undefined)?.code
  return typeof code === 'string' ? known(code) : undefined
}

function known(code: string): string | undefined {
  return Object.hasOwn(errorCodes, code) ? code : undefined
}

/**
 * The codes a property's answers carried, counted: a test asserts the fuzz reached the checks it
 * is meant for, and a long run (FUZZ_RUNS) prints them.
 */
export class CodeTally {
  readonly counts = new Map<string, number>()

  add(answer: Answer): void {
    const key = answer.code ?? String(answer.status)
    this.counts.set(key, (this.counts.get(key) ?? 0) + 1)
  }

  /** The codes seen, for `expect(...).toContain` / `toEqual(expect.arrayContaining(...))`. */
  get codes(): string[] {
    return [...this.counts.keys()]
  }

  toString(): string {
    return [...this.counts]
      .sort((a, b) => b[1] - a[1])
      .map(([code, n]) => `${code} ${n}`)
      .join(', ')
  }
}
