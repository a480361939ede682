import { SsoError } from '../../core/errors/index.ts'
import { fetchText } from '../../core/jwt/fetch-json.ts'
import { verifyProviderJwt } from './provider-jwt.ts'
import type { OidcRuntime } from './runtime.ts'

/** A claim source that could not be trusted, and the claims left out because of it. */
export interface DroppedClaimSource {
  source: string
  claims: string[]
  code: string
  reason: string
}

interface Resolution {
  claims: Record<string, unknown>
  dropped: DroppedClaimSource[]
}

/**
 * Aggregated and distributed claims (OIDC Core §5.6.2): `_claim_names` maps a claim to a source
 * in `_claim_sources`, which holds a JWT (aggregated) or an endpoint and access token
 * (distributed; fetched with that token). A source counts only when its JWT verifies like any
 * JWT of the provider (provider-jwt.ts: its algorithms and keys, never `none`) and names no other
 * issuer; a distributed endpoint must lie at the issuer's own origin (the SP verifies no other
 * party's keys, and fetches nowhere else). Otherwise its claims are dropped with a warning —
 * never stored as they came. `_claim_names` and `_claim_sources` never become attributes.
 */
export async function resolveClaimSources(
  oidc: OidcRuntime,
  fetchImpl: typeof fetch,
  input: Record<string, unknown>,
  at: { now: number; clockSkewMs: number },
): Promise<Resolution> {
  const { _claim_names: names, _claim_sources: sources, ...claims } = input
  if (names === undefined && sources === undefined) return { claims, dropped: [] }
  const bySource = new Map<string, string[]>()
  for (const [claim, source] of Object.entries(asRecord(names))) {
    if (typeof source !== 'string') continue
    bySource.set(source, [...(bySource.get(source) ?? []), claim])
  }
  const dropped: DroppedClaimSource[] = []
  for (const [source, wanted] of bySource) {
    try {
      const jwt = await sourceJwt(oidc, fetchImpl, source, asRecord(sources)[source])
      const verified = await verifyProviderJwt(oidc, jwt, {
        label: `claim source ${source.slice(0, 40)}`,
        ...at,
        requiredClaims: [],
        issuer: false,
        audience: false,
      })
      const iss = verified.claims.iss
      if (iss !== undefined && iss !== oidc.settings.issuer) {
        throw refuse('JWT_ISSUER_MISMATCH', 'the claim source names another issuer')
      }
      for (const claim of wanted) {
        if (claim in verified.claims) claims[claim] = verified.claims[claim]
      }
    } catch (error) {
      if (!(error instanceof SsoError)) throw error
      dropped.push({
        source: source.slice(0, 40),
        claims: wanted,
        code: error.code,
        reason: error.reason,
      })
    }
  }
  return { claims, dropped }
}

async function sourceJwt(
  oidc: OidcRuntime,
  fetchImpl: typeof fetch,
  name: string,
  source: unknown,
): Promise<string> {
  const { JWT: aggregated, endpoint, access_token: accessToken } = asRecord(source)
  if (typeof aggregated === 'string') return aggregated
  if (typeof endpoint !== 'string')
    throw refuse('OIDC_CLAIM_SOURCE_INVALID', `no JWT or endpoint for ${name}`)
  const issuerOrigin = originOf(oidc.settings.issuer)
  if (issuerOrigin === undefined || originOf(endpoint) !== issuerOrigin) {
    throw refuse(
      'OIDC_CLAIM_SOURCE_INVALID',
      'the distributed claims endpoint is not at the issuer',
    )
  }
  const answer = await fetchText({
    fetch: fetchImpl,
    url: endpoint,
    init: {
      headers: {
        Accept: 'application/jwt',
        ...(typeof accessToken === 'string' ? { Authorization: `Bearer ${accessToken}` } : {}),
      },
    },
    timeoutMs: oidc.settings.httpTimeoutMs,
    failure: { code: 'OIDC_CLAIM_SOURCE_INVALID', check: 'claim source' },
  })
  if (answer.status !== 200) {
    throw refuse('OIDC_CLAIM_SOURCE_INVALID', `the claims endpoint answered HTTP ${answer.status}`)
  }
  return answer.text.trim()
}

function refuse(code: 'OIDC_CLAIM_SOURCE_INVALID' | 'JWT_ISSUER_MISMATCH', reason: string) {
  return new SsoError(code, 'claim source', reason, {})
}

function asRecord(value: unknown): Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
    ? (value as Record<string, unknown>)
    : {}
}

function originOf(url: string | undefined): string | undefined {
  try {
    return url === undefined ? undefined : new URL(url).origin
  } catch {
    return undefined
  }
}
