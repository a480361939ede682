import { type Clock, systemClock } from '../clock/index.ts'
import { SsoError } from '../errors/index.ts'
import { type Credential, toCredential } from './credential.ts'
import { generateRsaKeys, type RsaKeyPair } from './key-pair.ts'
import { parseCertificate } from './parse.ts'
import { selfSignedCertificate } from './self-signed.ts'

export interface CreateCredentialOptions {
  /** The certificate's subject and issuer common name. */
  commonName: string
  /** Default: one day before `clock.now()`, so a peer whose clock lags a little accepts it. */
  notBefore?: Date
  /** Default: `notBefore` plus `validity`. Give `notAfter` or `validity`, not both. */
  notAfter?: Date
  clock?: Clock
  /** Length of the validity window in milliseconds. Default: ten years. */
  validity?: number
  /**
   * Derive the key and the serial number from this seed instead of the system's randomness, so
   * the same seed gives the same credential anywhere (see seeded.ts; test runs only).
   */
  seed?: string
  /** RSA modulus length (default 2048); shorter only for the fake IdP's weak-key fault. */
  rsaBits?: number
  /**
   * The key pair, already being generated for this credential alone, instead of a generation of
   * its own (`serve` begins its IdP's key before its code loads: cli/serve-keys.ts).
   */
  keyPair?: () => Promise<RsaKeyPair>
  /**
   * Host names and IP addresses the certificate names (SubjectAltName), for TLS clients that
   * check the host (RFC 6125 §6.4: they read SubjectAltName, not the common name).
   */
  subjectAltNames?: string[]
}

const dayMs = 86_400_000
const defaultValidityMs = 3650 * dayMs

/**
 * Generates an RSA key (2048 bits unless `rsaBits` says otherwise) and a self-signed sha256WithRSAEncryption certificate for it.
 * Any window may be asked for, including one that has already ended, for tests of expiry.
 * X.509 stores whole seconds (RFC 5280 section 4.1.2.5), so milliseconds are dropped.
 */
export async function createCredential(options: CreateCredentialOptions): Promise<Credential> {
  const { notBefore, notAfter } = validityWindow(options)
  // node-forge (the seeded generator) loads only for seeded runs, not at every start.
  const seeded = options.seed !== undefined ? await import('./seeded.ts') : undefined
  const { privateKey, publicKey } =
    seeded && options.seed !== undefined
      ? seeded.seededRsaKeyPair(options.seed)
      : await (options.keyPair ?? (() => generateRsaKeys(options.rsaBits)))()
  const certificate = await selfSignedCertificate({
    commonName: options.commonName,
    notBefore,
    notAfter,
    privateKey,
    publicKey,
    subjectAltNames: options.subjectAltNames ?? [],
    ...(seeded && options.seed !== undefined
      ? { serialNumber: seeded.seededSerialNumber(options.seed) }
      : {}),
  })
  return toCredential(privateKey, parseCertificate(certificate.toString('base64')), {
    key: 'generated',
    certificate: 'generated',
  })
}

function validityWindow(options: CreateCredentialOptions): { notBefore: Date; notAfter: Date } {
  if (options.commonName.trim() === '') {
    throw configInvalid('commonName', 'The common name must not be empty.')
  }
  if (options.notAfter !== undefined && options.validity !== undefined) {
    throw configInvalid('validity', 'Give notAfter or validity, not both.')
  }
  if (options.validity !== undefined && !(options.validity > 0)) {
    throw configInvalid('validity', 'The validity must be a positive number of milliseconds.')
  }
  const clock = options.clock ?? systemClock
  const notBefore = options.notBefore ?? new Date(clock.now() - dayMs)
  const notAfter =
    options.notAfter ?? new Date(notBefore.getTime() + (options.validity ?? defaultValidityMs))
  if (!(notAfter.getTime() - notBefore.getTime() >= 1000)) {
    throw configInvalid('notAfter', 'notAfter must lie at least one second after notBefore.')
  }
  return { notBefore: wholeSeconds(notBefore), notAfter: wholeSeconds(notAfter) }
}

function wholeSeconds(date: Date): Date {
  return new Date(Math.floor(date.getTime() / 1000) * 1000)
}

function configInvalid(setting: string, reason: string): SsoError {
  return new SsoError('CONFIG_INVALID', 'CertificateValidity', reason, { setting })
}
