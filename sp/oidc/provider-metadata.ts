import type { Clock } from '../../core/clock/index.ts'
import { SsoError } from '../../core/errors/index.ts'
import { isHmacAlgorithm, isJwsAlgorithm, type JwsAlgorithm } from '../../core/jwt/algorithms.ts'
import { fetchJson } from '../../core/jwt/fetch-json.ts'
import { createJwksCache } from '../../core/jwt/jwks-cache.ts'
import type { JwksSource } from '../../core/jwt/verification-keys.ts'
import { type ResolvedSpOidcSettings, usesDiscovery } from './settings.ts'

/** The provider's endpoints as the SP uses them: configured ones first, the rest discovered. */
export interface ProviderEndpoints {
  authorizationUrl: string
  tokenUrl: string
  userinfoUrl: string | undefined
  jwksUrl: string | undefined
  endSessionUrl: string | undefined
}

export interface ProviderMetadata {
  endpoints(): Promise<ProviderEndpoints>
  /** The ID token keys, from the (configured or discovered) JWKS URL. */
  jwks: JwksSource
  /**
   * The algorithms ID tokens (and signed userinfo, logout tokens, claim sources) may use: the
   * configured `idTokenAlgorithms`, else those the discovery document lists in
   * `id_token_signing_alg_values_supported` that ssoproof verifies (HS* only with a client
   * secret, never `none`), else RS256 (Discovery §3: RS256 MUST be among them).
   */
  idTokenAlgorithms(): Promise<JwsAlgorithm[]>
  /** The same list as last known, without fetching (diagnostics). */
  knownIdTokenAlgorithms(): JwsAlgorithm[]
  /**
   * Whether an authorization response without `iss` is refused: the provider's discovery document
   * says `authorization_response_iss_parameter_supported: true` (RFC 9207 §2.4).
   */
  requiresIssParameter(): Promise<boolean>
}

const discoveryMaxAgeMs = 3_600_000

/**
 * The OIDC provider's metadata for the SP. Endpoints given in the settings are used as they
 * are; the others come from `<issuer>/.well-known/openid-configuration` (OpenID Connect
 * Discovery §4), fetched through the SP's fetch when first needed and kept an hour on the
 * injected clock. The document's `issuer` must equal the configured issuer exactly (§4.3).
 */
export function createProviderMetadata(
  settings: ResolvedSpOidcSettings,
  outbound: { fetch: typeof fetch; clock: Clock },
): ProviderMetadata {
  const useDiscovery = usesDiscovery(settings)
  let discovered: { document: Record<string, unknown>; at: number } | undefined
  let jwks: { url: string; source: JwksSource } | undefined

  const discover = async (): Promise<Record<string, unknown>> => {
    if (discovered && outbound.clock.now() - discovered.at < discoveryMaxAgeMs)
      return discovered.document
    const url = `${(settings.issuer ?? '').replace(/\/+$/, '')}/.well-known/openid-configuration`
    const answer = await fetchJson({
      fetch: outbound.fetch,
      url,
      timeoutMs: settings.httpTimeoutMs,
      failure: { code: 'OIDC_DISCOVERY_FAILED', check: 'discovery' },
    })
    const document = answer.json
    if (
      answer.status !== 200 ||
      typeof document !== 'object' ||
      document === null ||
      Array.isArray(document)
    ) {
      throw new SsoError(
        'OIDC_DISCOVERY_FAILED',
        'discovery',
        'the discovery URL did not answer with a JSON object',
        {
          url,
          status: answer.status,
        },
      )
    }
    const record = document as Record<string, unknown>
    if (record.issuer !== settings.issuer) {
      throw new SsoError(
        'OIDC_DISCOVERY_ISSUER_MISMATCH',
        'issuer',
        'the discovery document names another issuer',
        {
          expected: settings.issuer ?? null,
          received: typeof record.issuer === 'string' ? record.issuer.slice(0, 200) : null,
        },
      )
    }
    discovered = { document: record, at: outbound.clock.now() }
    return record
  }

  const endpoints = async (): Promise<ProviderEndpoints> => {
    const document = useDiscovery && missingAny(settings) ? await discover() : {}
    const pick = (given: string | undefined, name: string) => given ?? urlOf(document[name], name)
    const authorizationUrl = pick(settings.authorizationUrl, 'authorization_endpoint')
    const tokenUrl = pick(settings.tokenUrl, 'token_endpoint')
    if (!authorizationUrl || !tokenUrl) {
      throw new SsoError(
        'OIDC_DISCOVERY_FAILED',
        'discovery',
        'no authorization or token endpoint is known',
        {},
      )
    }
    return {
      authorizationUrl,
      tokenUrl,
      userinfoUrl: pick(settings.userinfoUrl, 'userinfo_endpoint'),
      jwksUrl: pick(settings.jwksUrl, 'jwks_uri'),
      endSessionUrl: pick(settings.endSessionUrl, 'end_session_endpoint'),
    }
  }

  const jwksSource = async (): Promise<JwksSource> => {
    const url = (await endpoints()).jwksUrl
    if (!url)
      throw new SsoError(
        'JWT_JWKS_UNAVAILABLE',
        'jwks_uri',
        'no JWKS URL is configured or discovered',
        {},
      )
    if (jwks?.url !== url) {
      jwks = {
        url,
        source: createJwksCache({
          url,
          fetch: outbound.fetch,
          clock: outbound.clock,
          timeoutMs: settings.httpTimeoutMs,
        }),
      }
    }
    return jwks.source
  }

  let knownAlgorithms = settings.idTokenAlgorithms ?? defaultAlgorithms
  const idTokenAlgorithms = async (): Promise<JwsAlgorithm[]> => {
    if (settings.idTokenAlgorithms !== undefined) return settings.idTokenAlgorithms
    if (!useDiscovery) return defaultAlgorithms
    const advertised = (await discover()).id_token_signing_alg_values_supported
    const usable = (Array.isArray(advertised) ? advertised : [])
      .filter(isJwsAlgorithm)
      .filter((alg) => !isHmacAlgorithm(alg) || settings.clientSecret !== undefined)
    knownAlgorithms = usable.length > 0 ? usable : defaultAlgorithms
    return knownAlgorithms
  }

  return {
    endpoints,
    jwks: {
      get: async () => (await jwksSource()).get(),
      refresh: async () => (await jwksSource()).refresh(),
    },
    idTokenAlgorithms,
    knownIdTokenAlgorithms: () => knownAlgorithms,
    requiresIssParameter: async () =>
      useDiscovery && (await discover()).authorization_response_iss_parameter_supported === true,
  }
}

const defaultAlgorithms: JwsAlgorithm[] = ['RS256']

function missingAny(settings: ResolvedSpOidcSettings): boolean {
  return [
    settings.authorizationUrl,
    settings.tokenUrl,
    settings.userinfoUrl,
    settings.jwksUrl,
    settings.endSessionUrl,
  ].some((value) => value === undefined)
}

function urlOf(value: unknown, name: string): string | undefined {
  if (value === undefined) return undefined
  if (typeof value !== 'string' || !/^https?:\/\//i.test(value)) {
    throw new SsoError(
      'OIDC_DISCOVERY_FAILED',
      name,
      `the discovered ${name} is not an http(s) URL`,
      {},
    )
  }
  return value
}
