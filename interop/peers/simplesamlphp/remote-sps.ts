import { bindings } from '../../../core/saml/constants.ts'
import { parseSpMetadata } from '../../../core/saml/metadata.ts'
import type { IdpSpSettings } from '../reference-sp/lab-idp.ts'

/**
 * SPs for SimpleSAMLphp's IdP, as its flat-file metadata (`saml20-sp-remote.php`): the endpoints
 * and certificates read from each SP's metadata, plus what SAML metadata cannot say and
 * SimpleSAMLphp reads from this file only — the NameID format to issue and whether to encrypt
 * the assertion. SimpleSAMLphp reads the file at every request.
 */
export function remoteSpsPhp(sps: Array<{ metadata: string; settings: IdpSpSettings }>): string {
  const entries = sps.map(({ metadata, settings }) => {
    const sp = parseSpMetadata(metadata)
    const endpoints = (list: typeof sp.assertionConsumerServices) =>
      list.map((endpoint) => ({
        Binding: endpoint.binding,
        Location: endpoint.location,
        ...(endpoint.index !== undefined ? { index: endpoint.index } : {}),
      }))
    const entry = {
      entityid: sp.entityId,
      AssertionConsumerService: endpoints(sp.assertionConsumerServices),
      SingleLogoutService: endpoints(
        sp.singleLogoutServices.filter((endpoint) => endpoint.binding === bindings.redirect),
      ),
      keys: [
        ...sp.signingCertificates.map((certificate) => key(certificate, 'signing')),
        ...(sp.encryptionCertificates ?? []).map((certificate) => key(certificate, 'encryption')),
      ],
      NameIDFormat: `urn:oasis:names:tc:SAML:2.0:nameid-format:${settings.nameIdFormat}`,
      'assertion.encryption': settings.encryptAssertion,
      'sign.logout': true,
      'validate.logout': true,
      'signature.algorithm': 'http://www.w3.org/2001/04/xmldsig-more#rsa-sha256',
    }
    return `$metadata[${php(sp.entityId)}] = ${php(entry)};`
  })
  return `<?php\n// Written by the interop lab (remote-sps.ts).\n${entries.join('\n')}\n`
}

function key(certificate: string, use: 'signing' | 'encryption') {
  return { type: 'X509Certificate', [use]: true, X509Certificate: certificate }
}

/** A JSON-shaped value as a PHP literal. */
function php(value: unknown): string {
  if (typeof value === 'string') return `'${value.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`
  if (typeof value === 'number' || typeof value === 'boolean') return String(value)
  if (Array.isArray(value)) return `[${value.map(php).join(', ')}]`
  if (value && typeof value === 'object') {
    return `[${Object.entries(value)
      .map(([name, item]) => `${php(name)} => ${php(item)}`)
      .join(', ')}]`
  }
  return 'null'
}
