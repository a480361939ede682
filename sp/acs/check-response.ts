import type { Document } from '@xmldom/xmldom'
import { createManualClock } from '../../core/clock/index.ts'
import { type Finding, SsoError } from '../../core/errors/index.ts'
import { decodePost } from '../../core/saml/post.ts'
import { parseXml } from '../../core/xml/index.ts'
import type { ResponseValidationSettings } from './settings.ts'
import {
  acsChecks,
  type CheckReport,
  type ValidatedResponse,
  validateResponse,
} from './validate-response.ts'

export interface ResponseCheckOptions {
  /** The SP and IdP settings, as the ACS has them; unsolicited follows from `inResponseTo`. */
  settings: Omit<ResponseValidationSettings, 'allowUnsolicited'>
  /** The instant to validate at, milliseconds since the epoch. */
  at: number
  /** The AuthnRequest ID the Response must answer; unset: InResponseTo is not checked. */
  inResponseTo?: string | undefined
}

export interface ResponseCheck {
  accepted: boolean
  /** Every check in order, reading the message first; those after a failure are `not-reached`. */
  checks: CheckReport[]
  /** How the input was read: `XML`, `base64` or `SAMLResponse field`. */
  input: string | undefined
  response?: ValidatedResponse
  failure?: Finding
}

const messageCheck = {
  check: 'Message',
  enforces: 'XML, or base64 as posted; well-formed, no DOCTYPE, within the caps',
}

/**
 * `ssoproof check saml`: one Response validated offline by the ACS's own checks
 * (validate-response.ts), on a clock fixed at `at`, with no replay cache and, unless
 * `inResponseTo` is given, no AuthnRequest to bind to (both reported as not checked). With
 * `inResponseTo`, the Response must answer that request: an unsolicited one fails.
 */
export function checkResponse(message: string, options: ResponseCheckOptions): ResponseCheck {
  const checks: CheckReport[] = []
  let doc: Document
  let input: string | undefined
  try {
    const read = readPastedResponse(message)
    input = read.input
    doc = parseXml(read.xml)
  } catch (error) {
    if (!(error instanceof SsoError)) throw error
    checks.push({ ...messageCheck, outcome: 'fail', failure: error.toFinding(), warnings: [] })
    for (const [check, , enforces] of acsChecks) {
      checks.push({ check, enforces, outcome: 'not-reached', warnings: [] })
    }
    return { accepted: false, checks, input, failure: error.toFinding() }
  }
  checks.push({ ...messageCheck, outcome: 'pass', warnings: [] })
  const expected = options.inResponseTo
  try {
    const response = validateResponse(
      doc,
      { ...options.settings, allowUnsolicited: false },
      {
        clock: createManualClock(options.at),
        replay: null,
        isPendingRequest: expected === undefined ? null : (id) => id === expected,
        awaitsResponse: expected !== undefined,
        ...(expected !== undefined ? { signInStarted: true } : {}),
      },
      (report) => checks.push(report),
    )
    return { accepted: true, checks, input, response }
  } catch (error) {
    if (!(error instanceof SsoError)) throw error
    return { accepted: false, checks, input, failure: error.toFinding() }
  }
}

/**
 * A Response as people paste it: raw XML; the base64 value posted as SAMLResponse, whole or
 * URL-encoded; or a form body (or query) holding `SAMLResponse=`. The base64 goes through the
 * HTTP-POST binding's own decoding, with its size cap.
 */
export function readPastedResponse(text: string): { xml: string; input: string } {
  const trimmed = text.replace(/^\uFEFF/, '').trim()
  if (trimmed.startsWith('<')) return { xml: trimmed, input: 'XML' }
  const field = /(?:^|[?&\s])SAMLResponse=([^&\s]*)/.exec(trimmed)
  let value = field?.[1] ?? trimmed
  if (/%[0-9A-Fa-f]{2}/.test(value)) {
    try {
      value = decodeURIComponent(value)
    } catch {
      throw new SsoError(
        'SAML_BINDING_INVALID',
        'HTTP-POST',
        'the value is not valid URL encoding',
        {
          length: value.length,
        },
      )
    }
  }
  if (value.trim().startsWith('<')) return { xml: value.trim(), input: 'SAMLResponse field' }
  const { xml } = decodePost({ SAMLResponse: value }, 'SAMLResponse')
  return { xml, input: field ? 'SAMLResponse field' : 'base64' }
}
