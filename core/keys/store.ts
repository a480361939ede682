import { existsSync } from 'node:fs'
import { readdir, rename, rm, writeFile } from 'node:fs/promises'
import { basename, dirname, join } from 'node:path'
import type { Clock } from '../clock/index.ts'
import { SsoError } from '../errors/index.ts'
import { makeNamedFolder } from '../store/make-folder.ts'
import type { Credential } from './credential.ts'
import { withFileLock } from './folder-lock.ts'
import { createCredential } from './generate.ts'
import type { RsaKeyPair } from './key-pair.ts'
import { loadCredentialFiles } from './load.ts'

export interface StoredCredentialOptions {
  /** Used only when the credential is generated; a stored certificate is reused as it is. */
  commonName: string
  clock?: Clock
  /** Host names and addresses for SubjectAltName, when the credential is generated. */
  subjectAltNames?: string[]
  /** Where a generated credential's key pair comes from (createCredential's `keyPair`). */
  keyPair?: () => Promise<RsaKeyPair>
}

const namePattern = /^[A-Za-z0-9][A-Za-z0-9._-]*$/

/**
 * Keeps a credential in `<dataDir>/<name>.key.pem` (mode 0600) and `<dataDir>/<name>.crt.pem`.
 * The first call generates both; later calls read them back, so published metadata stays the
 * same across restarts. Processes starting on one folder at once agree on one pair (a lock file),
 * and a start killed at any moment leaves either no pair, or a whole one.
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
  // The key is written last (writePair), so a key on disk means its certificate was there first.
  if (existsSync(keyFile)) return loadPair(keyFile, certFile)
  makeNamedFolder(dataDir, 'the data folder')
  return withFileLock(join(dataDir, `.${name}.lock`), async () => {
    if (existsSync(keyFile)) return loadPair(keyFile, certFile)
    // A certificate without its key is what a first start stopped between the two writes leaves:
    // nothing has used it (the credential was never returned), so it is made again.
    await removeLeftovers(dataDir, name)
    const credential = await createCredential(options)
    await writeAtomically(certFile, credential.certificatePem)
    await writeAtomically(keyFile, credential.privateKeyPem)
    return credential
  })
}

function loadPair(keyFile: string, certFile: string): Credential {
  if (existsSync(certFile)) return loadCredentialFiles({ keyFile, certFile })
  throw new SsoError(
    'CONFIG_INVALID',
    'CredentialFiles',
    'The private key exists without its certificate; restore the certificate, or delete the key to start afresh.',
    { file: certFile, missing: true },
  )
}

/** The orphan certificate and temporary files of an interrupted start (see writeAtomically). */
async function removeLeftovers(dataDir: string, name: string): Promise<void> {
  const temporary = new RegExp(`^\\.${name.replaceAll('.', '\\.')}\\.(?:crt|key)\\.\\d+\\.tmp$`)
  const leftovers = (await readdir(dataDir)).filter(
    (file) => file === `${name}.crt.pem` || temporary.test(file),
  )
  await Promise.all(leftovers.map((file) => rm(join(dataDir, file), { force: true })))
}

/** Whole or not at all: a process killed while writing leaves only a temporary file. */
async function writeAtomically(file: string, text: string): Promise<void> {
  const temporary = join(dirname(file), `.${basename(file, '.pem')}.${process.pid}.tmp`)
  await writeFile(temporary, text, { mode: 0o600 })
  await rename(temporary, file)
}
