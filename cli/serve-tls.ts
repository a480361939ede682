import { X509Certificate } from 'node:crypto'
import { isIP } from 'node:net'
import type { Credential } from '../core/keys/index.ts'
import { loadCredentialFiles } from '../core/keys/index.ts'

/** What one HTTPS listener of `serve --tls` presents. */
export interface TlsIdentity {
  certificatePem: string
  privateKeyPem: string
}

export interface ServeTlsOptions {
  /** A certificate (PEM) and its key given by the user, for both listeners; else each server's own. */
  certFile?: string | undefined
  keyFile?: string | undefined
}

/**
 * The identities of the two HTTPS listeners. Without files, each server presents its own signing
 * credential, generated with a SubjectAltName for the host: the IdP's is the key its metadata
 * publishes, which is how a Shibboleth SP trusts the TLS back channel by default (explicit keys
 * from metadata, no CA). With `--tls-cert`/`--tls-key`, both present that pair (checked to match).
 */
export function serveTlsIdentities(
  options: ServeTlsOptions,
  own: { idp: Credential; sp: Credential },
): { idp: TlsIdentity; sp: TlsIdentity } {
  if (options.certFile === undefined && options.keyFile === undefined) {
    return { idp: identityOf(own.idp), sp: identityOf(own.sp) }
  }
  const given = loadCredentialFiles({
    certFile: options.certFile ?? '',
    keyFile: options.keyFile ?? '',
  })
  return { idp: identityOf(given), sp: identityOf(given) }
}

function identityOf(credential: Credential): TlsIdentity {
  return { certificatePem: credential.certificatePem, privateKeyPem: credential.privateKeyPem }
}

/**
 * A warning when the certificate does not name the host in its SubjectAltName (RFC 6125 §6.4):
 * clients that check names will refuse it. Undefined when it does.
 */
export function hostMismatch(identity: TlsIdentity, host: string): string | undefined {
  const certificate = new X509Certificate(identity.certificatePem)
  const named =
    isIP(host) !== 0
      ? certificate.checkIP(host) !== undefined
      : certificate.checkHost(host) !== undefined
  return named
    ? undefined
    : `the TLS certificate (${certificate.subject.replace(/\n/g, ', ')}) does not name ${host} in its SubjectAltName; clients that check host names will refuse it`
}
