import { readFile } from 'node:fs/promises'
import { SsoError } from '../../core/errors/index.ts'
import { nameIdFormats } from '../../core/saml/constants.ts'
import { parseSpMetadata } from '../../core/saml/metadata.ts'
import type { SpRegistrationInput } from './registration.ts'

// SP registrations read from SAML metadata (the pair, the admin API), apart from the registry
// (registry.ts), so that an IdP starts without loading the XML parser.

/** Turns SAML SP metadata into a registration; `overrides` sets what metadata cannot say. */
export function registrationFromMetadata(
  xml: string,
  overrides: Partial<SpRegistrationInput> = {},
): SpRegistrationInput {
  const meta = parseSpMetadata(xml)
  return {
    entityId: meta.entityId,
    assertionConsumerServices: meta.assertionConsumerServices.map((acs) => ({
      location: acs.location,
      binding: acs.binding,
      ...(acs.index !== undefined ? { index: acs.index } : {}),
      ...(acs.isDefault !== undefined ? { isDefault: acs.isDefault } : {}),
    })),
    certificates: meta.signingCertificates,
    requireSignedAuthnRequests: meta.authnRequestsSigned,
    encryptionCertificates: meta.encryptionCertificates ?? [],
    ...nameIdFormatsOf(meta.nameIdFormats),
    singleLogoutServices: meta.singleLogoutServices.map((slo) => ({
      location: slo.location,
      binding: slo.binding,
      ...(slo.responseLocation !== undefined ? { responseLocation: slo.responseLocation } : {}),
    })),
    ...overrides,
  }
}

/**
 * The body of `POST /admin/service-providers`: a whole registration, or `metadata` (XML) or
 * `metadataUrl` with registration settings beside it, which override what the metadata says
 * (`encryptAssertion`, `responseBinding`, …); `fetchMetadata` reads a metadataUrl
 * (fetch-metadata.ts). Unknown settings are refused by the registration
 * schema (`serviceProvider.<key>: Unrecognized key`), so a typo never registers silently.
 */
export async function registrationFromAdminBody(
  body: unknown,
  fetchMetadata: (metadataUrl: string) => Promise<string>,
): Promise<unknown> {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) return body
  const { metadata, metadataUrl, ...overrides } = body as Record<string, unknown>
  if (metadata === undefined && metadataUrl === undefined) return body
  if (metadata !== undefined && metadataUrl !== undefined) {
    throw new SsoError('CONFIG_INVALID', 'metadata', 'give metadata or metadataUrl, not both', {})
  }
  if ('entityId' in overrides) {
    throw new SsoError(
      'CONFIG_INVALID',
      'entityId',
      'the entity ID comes from the metadata; it cannot be overridden beside it',
      {},
    )
  }
  const xml =
    metadata !== undefined
      ? stringSetting(metadata, 'metadata')
      : await fetchMetadata(stringSetting(metadataUrl, 'metadataUrl'))
  return registrationFromMetadata(xml, overrides as Partial<SpRegistrationInput>)
}

function stringSetting(value: unknown, name: string): string {
  if (typeof value !== 'string') {
    throw new SsoError('CONFIG_INVALID', name, `${name} must be a string`, {})
  }
  return value
}

/** The NameIDFormat URIs of SP metadata this IdP knows, as registration names; none: no list. */
function nameIdFormatsOf(uris: string[]): Pick<SpRegistrationInput, 'nameIdFormats'> {
  const names = Object.entries(nameIdFormats)
    .filter(([, uri]) => uris.includes(uri))
    .map(([name]) => name as keyof typeof nameIdFormats)
  return names.length > 0 ? { nameIdFormats: names } : {}
}

/** Reads SP metadata from a file path or an http(s) URL. */
export async function readMetadataSource(
  source: string,
  fetchImpl: typeof fetch = fetch,
): Promise<string> {
  if (/^https?:\/\//i.test(source)) {
    let response: Response
    try {
      response = await fetchImpl(source, { signal: AbortSignal.timeout(10_000) })
    } catch (error) {
      throw new SsoError('CONFIG_INVALID', 'metadata', `cannot fetch metadata from ${source}`, {
        source,
        cause: (error as Error).name,
      })
    }
    if (!response.ok) {
      throw new SsoError(
        'CONFIG_INVALID',
        'metadata',
        `metadata URL answered HTTP ${response.status}`,
        {
          source,
          status: response.status,
        },
      )
    }
    return response.text()
  }
  try {
    return await readFile(source, 'utf8')
  } catch (error) {
    throw new SsoError('CONFIG_INVALID', 'metadata', `cannot read metadata file ${source}`, {
      source,
      cause: (error as NodeJS.ErrnoException).code ?? 'unknown',
    })
  }
}
