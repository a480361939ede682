import { readFile } from 'node:fs/promises'
import { SsoError } from '../core/errors/index.ts'
import { createFetchPolicy } from '../core/http/fetch-policy/fetch-policy.ts'
import { policedFetch } from '../core/http/fetch-policy/policed-fetch.ts'
import { causeOf, readCapped } from '../core/http/outbound.ts'
import { bindings } from '../core/saml/constants.ts'
import { parseIdpMetadata } from '../core/saml/metadata.ts'
import { xmlLimits } from '../core/xml/index.ts'
import type { SpIdpSettings } from '../sp/options.ts'
import { UsageError } from './usage.ts'

/**
 * A SAML IdP the reference SP signs visitors in at, from its metadata — an http(s) URL or a
 * file — as `ssoproof sp --saml-metadata` and a campaign's `idpMetadata` in `serve --config`
 * name it: the entity ID, the HTTP-Redirect SingleSignOnService and SingleLogoutService, the
 * SOAP ArtifactResolutionService and the signing certificates. `label` (the option or setting)
 * opens every error; unreadable metadata is a usage error, unusable metadata
 * SP_IDP_METADATA_INVALID. The URL's own host is the person's choice; a redirect goes only where
 * the outbound policy lets it (loopback, public addresses, `allowedFetchHosts`).
 */
export async function readIdpMetadata(
  where: string,
  fetchImpl: typeof fetch,
  label: string,
  allowedFetchHosts: readonly string[] = [],
): Promise<{ idp: SpIdpSettings; description: string }> {
  const xml = await readMetadata(where, fetchImpl, label, allowedFetchHosts)
  let metadata: ReturnType<typeof parseIdpMetadata>
  try {
    metadata = parseIdpMetadata(xml)
  } catch (error) {
    if (error instanceof SsoError && error.code === 'CONFIG_INVALID') {
      throw metadataInvalid(error.reason, where)
    }
    throw error
  }
  if (metadata.signingCertificates.length === 0) {
    throw metadataInvalid('the IDPSSODescriptor lists no signing certificate', where)
  }
  const sso = metadata.singleSignOnServices.find(
    (endpoint) => endpoint.binding === bindings.redirect,
  )
  if (!sso) {
    throw metadataInvalid(
      'the IDPSSODescriptor lists no SingleSignOnService for HTTP-Redirect (the binding the SP sends AuthnRequests by)',
      where,
    )
  }
  const slo = metadata.singleLogoutServices.find(
    (endpoint) => endpoint.binding === bindings.redirect,
  )
  const artifact = metadata.artifactResolutionServices
    .filter((endpoint) => endpoint.binding === bindings.soap)
    .sort((a, b) => (a.index ?? 0) - (b.index ?? 0))[0]
  return {
    idp: {
      entityId: metadata.entityId,
      ssoUrl: sso.location,
      certificates: metadata.signingCertificates,
      ...(slo ? { sloUrl: slo.location } : {}),
      ...(artifact ? { artifactResolutionUrl: artifact.location } : {}),
    },
    description: [
      `SAML IdP ${metadata.entityId}`,
      `    sign-on URL          ${sso.location}`,
      `    logout URL           ${slo?.location ?? '(none: sign-out is local only)'}`,
      `    artifact resolution  ${artifact?.location ?? '(none: no HTTP-Artifact)'}`,
      `    signing certificates ${metadata.signingCertificates.length}`,
    ].join('\n'),
  }
}

/** The metadata text from an http(s) URL or a file; anything unreadable is a usage error. */
async function readMetadata(
  where: string,
  fetchImpl: typeof fetch,
  label: string,
  allowedFetchHosts: readonly string[],
): Promise<string> {
  if (/^https?:\/\//i.test(where) && URL.canParse(where)) {
    const named = new URL(where).hostname.replace(/^\[(.*)\]$/, '$1')
    const policy = createFetchPolicy({ allowHosts: [named, ...allowedFetchHosts] })
    let response: Response
    try {
      response = await policedFetch(fetchImpl, policy)(where, {
        signal: AbortSignal.timeout(10_000),
      })
    } catch (error) {
      throw new UsageError(`${label}: cannot fetch ${where} (${causeOf(error)})`)
    }
    if (!response.ok) {
      throw new UsageError(`${label}: ${where} answered HTTP ${response.status}`)
    }
    const text = await readCapped(response, xmlLimits.maxBytes)
    if (text === undefined) throw new UsageError(`${label}: ${where} is larger than the XML cap`)
    return text
  }
  try {
    return await readFile(where, 'utf8')
  } catch (error) {
    throw new UsageError(
      `${label}: cannot read the file "${where}" (${(error as NodeJS.ErrnoException).code ?? 'unknown'})`,
    )
  }
}

function metadataInvalid(reason: string, where: string): SsoError {
  return new SsoError('SP_IDP_METADATA_INVALID', 'metadata', `${where}: ${reason}`, {
    source: where,
  })
}
