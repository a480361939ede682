import { mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { loadOrCreateCredential } from './store.ts'

let root: string

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'ssoproof-store-'))
})

afterAll(async () => {
  await rm(root, { recursive: true, force: true })
})

describe('loadOrCreateCredential', () => {
  it('generates on first use and returns the same certificate afterwards', async () => {
    const dataDir = join(root, 'nested', 'data')
    const created = await loadOrCreateCredential(dataDir, 'idp-signing', { commonName: 'IdP' })
    const keyFile = join(dataDir, 'idp-signing.key.pem')
    const certFile = join(dataDir, 'idp-signing.crt.pem')
    expect((await stat(keyFile)).mode & 0o777).toBe(0o600)
    expect((await stat(certFile)).mode & 0o777).toBe(0o600)
    expect((await stat(dataDir)).mode & 0o777).toBe(0o700)
    expect(await readFile(certFile, 'utf8')).toBe(created.certificatePem)

    const reused = await loadOrCreateCredential(dataDir, 'idp-signing', { commonName: 'other' })
    expect(reused.certificatePem).toBe(created.certificatePem)
    expect(reused.fingerprintSha256).toBe(created.fingerprintSha256)
    expect(reused.privateKeyPem).toBe(created.privateKeyPem)
    expect(reused.subject).toBe('CN=IdP')
  })

  it('refuses a half-present pair instead of replacing it', async () => {
    const dataDir = join(root, 'half')
    const first = await loadOrCreateCredential(dataDir, 'sp', { commonName: 'SP' })
    await rm(join(dataDir, 'sp.crt.pem'))
    await expect(loadOrCreateCredential(dataDir, 'sp', { commonName: 'SP' })).rejects.toMatchObject(
      { code: 'CONFIG_INVALID', evidence: { file: join(dataDir, 'sp.crt.pem') } },
    )
    await writeFile(join(dataDir, 'sp.crt.pem'), first.certificatePem)
    const restored = await loadOrCreateCredential(dataDir, 'sp', { commonName: 'SP' })
    expect(restored.fingerprintSha256).toBe(first.fingerprintSha256)
  })

  it('refuses a name that would leave the data directory', async () => {
    await expect(
      loadOrCreateCredential(root, '../escape', { commonName: 'x' }),
    ).rejects.toMatchObject({ code: 'CONFIG_INVALID', check: 'CredentialName' })
  })
})
