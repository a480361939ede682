import type { KeyObject } from 'node:crypto'
import { createHash } from 'node:crypto'
import type { Random } from '../../core/random/index.ts'
import { openWithToken, sealWithToken } from '../../core/store/seal.ts'

/** Seals what the IdP database keeps of a secret, and opens it again. */
export interface StateSeal {
  seal(value: unknown): string
  /** undefined when it was sealed under another key (the IdP's signing key was replaced). */
  open<V>(sealed: string): V | undefined
}

/**
 * Records that hold secrets are sealed (AES-256-GCM) under a key derived from the IdP's private
 * signing key, which lives in the data folder beside the database (`idp-signing.key.pem`, 0600):
 * a copy of the database alone reads no password, client secret or private key.
 */
export function stateSeal(signingKey: KeyObject, random: Random): StateSeal {
  const secret = createHash('sha256')
    .update('ssoproof IdP state')
    .update(signingKey.export({ type: 'pkcs8', format: 'der' }))
    .digest('base64url')
  return {
    seal: (value) => sealWithToken(value, secret, random),
    open: (sealed) => openWithToken(sealed, secret),
  }
}
