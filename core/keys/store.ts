import { existsSync } from 'node:fs'
import { mkdir, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import type { Clock } from '../clock/index.ts'
import { SsoError } from '../errors/index.ts'
import type { Credential } from './credential.ts'
import { createCredential } from './generate.ts'
import { loadCredentialFiles } from './load.ts'

export interface StoredCredentialOptions {
  /** Used only when the credential is generated; a stored certificate is reused as it is. */
  commonName: string
  clock?: Clock
  /** Host names and addresses for SubjectAltName, when the credential is generated. */
  subjectAltNames?: string[]
}

const namePattern = /^[A-Za-z0-9][A-Za-z0-9._-]*$/

/**
 * Keeps a credential in `<dataDir>/<name>.key.pem` (mode 0600) and `<dataDir>/<name>.crt.pem`.
 * The first call generates both; later calls read them back, so published metadata stays the
 * same across restarts.
 */
export async function loadOrCreateCredential(
  dataDir: string,
  name: string,
  options: StoredCredentialOptions,
): Promise<Credential> {
  if (!namePattern.test(name)) {
    throw new SsoError(
      'CONFIG_INVALID',
      'CredentialName',
      'A credential name may hold letters, digits, ".", "_" and "-" and must not start with a dot.',
      { name },
    )
  }
  const keyFile = join(dataDir, `${name}.key.pem`)
  const certFile = join(dataDir, `${name}.crt.pem`)
  const hasKey = existsSync(keyFile)
  const hasCert = existsSync(certFile)
  if (hasKey && hasCert) return loadCredentialFiles({ keyFile, certFile })
  if (hasKey || hasCert) {
    throw new SsoError(
      'CONFIG_INVALID',
      'CredentialFiles',
      'Only one file of the key pair exists; restore the other or delete both to start afresh.',
      { file: hasKey ? certFile : keyFile, missing: true },
    )
  }
  const credential = await createCredential(options)
  await mkdir(dataDir, { recursive: true, mode: 0o700 })
  await writeFile(keyFile, credential.privateKeyPem, { mode: 0o600, flag: 'wx' })
  await writeFile(certFile, credential.certificatePem, { mode: 0o600, flag: 'wx' })
  return credential
}
