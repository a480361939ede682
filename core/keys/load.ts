import { createPrivateKey, type KeyObject } from 'node:crypto'
import { readFileSync } from 'node:fs'
import { isSsoError, SsoError } from '../errors/index.ts'
import { type Credential, type CredentialSources, toCredential } from './credential.ts'
import { type ParsedCertificate, parseCertificate } from './parse.ts'

export interface CredentialPem {
  privateKeyPem: string
  certificatePem: string
}

export interface CredentialFiles {
  keyFile: string
  certFile: string
}

/** Reads a PEM private key and its PEM certificate, refusing a pair that does not match. */
export function loadCredential(pem: CredentialPem): Credential {
  return fromPem(pem, { key: 'privateKeyPem', certificate: 'certificatePem' })
}

/** As `loadCredential`, from two files; errors name the file, never its content. */
export function loadCredentialFiles(files: CredentialFiles): Credential {
  return fromPem(
    {
      privateKeyPem: readText(files.keyFile, 'PrivateKey'),
      certificatePem: readText(files.certFile, 'Certificate'),
    },
    { key: files.keyFile, certificate: files.certFile },
  )
}

function fromPem(pem: CredentialPem, sources: CredentialSources): Credential {
  return toCredential(
    readPrivateKey(pem.privateKeyPem, sources.key),
    readCertificate(pem.certificatePem, sources.certificate),
    sources,
  )
}

function readPrivateKey(privateKeyPem: string, source: string): KeyObject {
  try {
    return createPrivateKey({ key: privateKeyPem, format: 'pem' })
  } catch {
    throw new SsoError(
      'CONFIG_INVALID',
      'PrivateKey',
      `${source}: the private key is not an unencrypted PEM private key (PKCS#8 or PKCS#1)`,
      { key: source },
    )
  }
}

function readCertificate(certificatePem: string, source: string): ParsedCertificate {
  try {
    return parseCertificate(certificatePem)
  } catch (error) {
    if (!isSsoError(error)) throw error
    throw new SsoError('CONFIG_INVALID', 'Certificate', `${source}: ${error.reason}`, {
      certificate: source,
    })
  }
}

function readText(path: string, check: string): string {
  try {
    return readFileSync(path, 'utf8')
  } catch (error) {
    const errno = (error as NodeJS.ErrnoException).code ?? null
    throw new SsoError('CONFIG_INVALID', check, `${path}: the file cannot be read (${errno})`, {
      file: path,
      errno,
    })
  }
}
