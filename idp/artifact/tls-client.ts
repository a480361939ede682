import { X509Certificate } from 'node:crypto'
import type { IncomingMessage } from 'node:http'
import { TLSSocket } from 'node:tls'
import type { Context } from 'hono'
import { parseCertificate } from '../../core/keys/index.ts'

/**
 * The certificate a TLS client presented on this request's connection (`serve --tls` asks every
 * client for one and lets none through on it alone), or undefined: plain HTTP, no certificate,
 * or a request that never crossed a socket (`app.fetch` in-process).
 */
export function tlsClientCertificate(c: Context): X509Certificate | undefined {
  const socket = (c.env as { incoming?: IncomingMessage } | undefined)?.incoming?.socket
  if (!(socket instanceof TLSSocket)) return undefined
  const presented = socket.getPeerCertificate()
  if (!presented?.raw) return undefined
  try {
    return new X509Certificate(presented.raw)
  } catch {
    return undefined
  }
}

/**
 * saml-bindings §3.6.5.2: a requester may authenticate by TLS client authentication. The
 * certificate authenticates the SP when its public key is one of the SP's registered signing
 * keys (saml-metadata §2.4.1.1: a signing key also serves TLS client authentication), as
 * Shibboleth's explicit-key trust does; issuer and dates are beside the point for pinned keys.
 */
export function isRegisteredClientCertificate(
  presented: X509Certificate,
  registered: readonly string[],
): boolean {
  const spki = presented.publicKey.export({ type: 'spki', format: 'der' })
  return registered.some((certificate) => {
    try {
      const { publicKey } = parseCertificate(certificate)
      return publicKey.export({ type: 'spki', format: 'der' }).equals(spki)
    } catch {
      return false
    }
  })
}
