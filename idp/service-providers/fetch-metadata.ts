import { performance } from 'node:perf_hooks'
import { setTimeout as sleep } from 'node:timers/promises'
import { SsoError } from '../../core/errors/index.ts'
import type { FetchPolicy } from '../../core/http/fetch-policy/fetch-policy.ts'
import { policedFetch } from '../../core/http/fetch-policy/policed-fetch.ts'
import { causeOf, readCapped } from '../../core/http/outbound.ts'
import { parseSpMetadata } from '../../core/saml/metadata.ts'
import { xmlLimits } from '../../core/xml/index.ts'

export interface MetadataFetchOptions {
  fetch: typeof fetch
  policy: FetchPolicy
  /** How long the fetch may take; every failure is answered when this much time has passed. */
  timeoutMs: number
  log: (line: string) => void
}

/**
 * POST /admin/service-providers {"metadataUrl"}: the SP metadata at a URL (its XML, read as SP
 * metadata before it is handed back), fetched under the outbound policy (core/http/fetch-policy), redirects checked hop by hop.
 * The admin API must not be a port scanner: a host the policy refuses is told at once (no
 * connection was made), but every failure after that — nothing listening, a refused or reset
 * connection, a timeout, an answer that is not 200, not SP metadata or too large, a redirect to
 * a refused host — is the one METADATA_FETCH_FAILED, answered only once `timeoutMs` has passed
 * since the start, whatever happened sooner. The reason goes to the IdP's log, not the answer.
 */
export async function fetchSpMetadata(
  metadataUrl: string,
  options: MetadataFetchOptions,
): Promise<string> {
  if (!/^https?:\/\/[^/]/i.test(metadataUrl) || !URL.canParse(metadataUrl)) {
    throw new SsoError('CONFIG_INVALID', 'metadataUrl', 'metadataUrl must be an http(s) URL', {
      metadataUrl: metadataUrl.slice(0, 200),
    })
  }
  const started = performance.now()
  try {
    await options.policy.check(metadataUrl)
  } catch (error) {
    if (error instanceof SsoError) throw error
    return failAfterDeadline(metadataUrl, causeOf(error), started, options)
  }
  try {
    const response = await policedFetch(options.fetch, options.policy)(metadataUrl, {
      signal: AbortSignal.timeout(options.timeoutMs),
    })
    if (response.status !== 200) {
      await response.body?.cancel()
      return failAfterDeadline(metadataUrl, `HTTP ${response.status}`, started, options)
    }
    const xml = await readCapped(response, xmlLimits.maxBytes)
    if (xml === undefined) return failAfterDeadline(metadataUrl, 'too large', started, options)
    parseSpMetadata(xml)
    return xml
  } catch (error) {
    const reason = error instanceof SsoError ? error.code : causeOf(error)
    return failAfterDeadline(metadataUrl, reason, started, options)
  }
}

async function failAfterDeadline(
  metadataUrl: string,
  reason: string,
  started: number,
  options: MetadataFetchOptions,
): Promise<never> {
  options.log(`IdP admin: no SP metadata from metadataUrl (${reason})`)
  const left = started + options.timeoutMs - performance.now()
  if (left > 0) await sleep(left)
  throw new SsoError(
    'METADATA_FETCH_FAILED',
    'metadataUrl',
    'the metadata URL gave no SAML SP metadata',
    { metadataUrl: metadataUrl.slice(0, 200) },
  )
}
