import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Credential } from './credential.ts'
import { createCredential } from './generate.ts'
import { loadCredential, loadCredentialFiles } from './load.ts'

let first: Credential
let second: Credential
let dir: string

beforeAll(async () => {
  ;[first, second] = await Promise.all([
    createCredential({ commonName: 'first' }),
    createCredential({ commonName: 'second' }),
  ])
  dir = await mkdtemp(join(tmpdir(), 'ssoproof-keys-'))
})

afterAll(async () => {
  await rm(dir, { recursive: true, force: true })
})

describe('loadCredential', () => {
  it('reads back a matching pair', () => {
    const loaded = loadCredential(first)
    expect(loaded.fingerprintSha256).toBe(first.fingerprintSha256)
    expect(loaded.privateKeyPem).toBe(first.privateKeyPem)
    expect(loaded.certificatePem).toBe(first.certificatePem)
  })

  it('refuses a key that the certificate does not certify', () => {
    const mismatch = () =>
      loadCredential({
        privateKeyPem: second.privateKeyPem,
        certificatePem: first.certificatePem,
      })
    expect(mismatch).toThrowError(
      expect.objectContaining({ code: 'CONFIG_INVALID', check: 'KeyMatchesCertificate' }),
    )
  })
})

describe('loadCredentialFiles', () => {
  it('names the files of a mismatched pair and never the key', async () => {
    const keyFile = join(dir, 'second.key.pem')
    const certFile = join(dir, 'first.crt.pem')
    await writeFile(keyFile, second.privateKeyPem)
    await writeFile(certFile, first.certificatePem)
    let caught: unknown
    try {
      loadCredentialFiles({ keyFile, certFile })
    } catch (error) {
      caught = error
    }
    expect(caught).toMatchObject({
      code: 'CONFIG_INVALID',
      check: 'KeyMatchesCertificate',
      evidence: { key: keyFile, certificate: certFile },
    })
    const keyBody = second.privateKeyPem.split('\n')[1] ?? ''
    expect(JSON.stringify(caught)).not.toContain(keyBody)
    expect(String(caught)).not.toContain(keyBody)
  })

  it('names a missing or unreadable file', () => {
    const keyFile = join(dir, 'absent.key.pem')
    expect(() => loadCredentialFiles({ keyFile, certFile: keyFile })).toThrowError(
      expect.objectContaining({
        code: 'CONFIG_INVALID',
        evidence: { file: keyFile, errno: 'ENOENT' },
      }),
    )
  })

  it('names a file that holds no private key', async () => {
    const keyFile = join(dir, 'not-a-key.pem')
    const certFile = join(dir, 'cert-as-key.crt.pem')
    await writeFile(keyFile, first.certificatePem)
    await writeFile(certFile, first.certificatePem)
    expect(() => loadCredentialFiles({ keyFile, certFile })).toThrowError(
      expect.objectContaining({
        code: 'CONFIG_INVALID',
        check: 'PrivateKey',
        evidence: { key: keyFile },
      }),
    )
  })
})
