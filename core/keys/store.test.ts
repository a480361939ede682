import { spawn } from 'node:child_process'
import { once } from 'node:events'
import { mkdtemp, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { setTimeout as sleep } from 'node:timers/promises'
import { fileURLToPath } from 'node:url'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createCredential } from './generate.ts'
import { generateRsaKeys } from './key-pair.ts'
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

  it('makes the pair again when a first start stopped between its two writes', async () => {
    const dataDir = join(root, 'interrupted')
    const orphan = await createCredential({ commonName: 'orphan' })
    await loadOrCreateCredential(dataDir, 'other', { commonName: 'kept' }) // creates the folder
    await writeFile(join(dataDir, 'sp.crt.pem'), orphan.certificatePem)
    await writeFile(join(dataDir, '.sp.key.4242.tmp'), orphan.privateKeyPem.slice(0, 100))
    await writeFile(join(dataDir, '.sp.x.key.4242.tmp'), "another name's file")

    const made = await loadOrCreateCredential(dataDir, 'sp', { commonName: 'SP' })
    expect(made.fingerprintSha256).not.toBe(orphan.fingerprintSha256)
    expect(await readFile(join(dataDir, 'sp.crt.pem'), 'utf8')).toBe(made.certificatePem)
    expect(await readFile(join(dataDir, 'sp.key.pem'), 'utf8')).toBe(made.privateKeyPem)
    expect((await readdir(dataDir)).filter((file) => file.startsWith('.')).sort()).toEqual([
      '.sp.x.key.4242.tmp',
    ])
    const again = await loadOrCreateCredential(dataDir, 'sp', { commonName: 'SP' })
    expect(again.fingerprintSha256).toBe(made.fingerprintSha256)
  })

  it('gives calls made at once one pair', async () => {
    const dataDir = join(root, 'at-once')
    const made = await Promise.all(
      [1, 2, 3, 4].map(() => loadOrCreateCredential(dataDir, 'sp', { commonName: 'SP' })),
    )
    expect(new Set(made.map((credential) => credential.fingerprintSha256)).size).toBe(1)
    expect(await readFile(join(dataDir, 'sp.crt.pem'), 'utf8')).toBe(made[0]?.certificatePem)
    expect(await readdir(dataDir)).toEqual(['sp.crt.pem', 'sp.key.pem'])
  })

  it('takes over the lock of a process that no longer runs', async () => {
    const dataDir = join(root, 'stale-lock')
    await loadOrCreateCredential(dataDir, 'other', { commonName: 'kept' })
    const gone = spawn(process.execPath, ['-e', ''])
    await once(gone, 'exit')
    await writeFile(join(dataDir, '.sp.lock'), `${gone.pid}\n`)
    const made = await loadOrCreateCredential(dataDir, 'sp', { commonName: 'SP' })
    expect(await readFile(join(dataDir, 'sp.crt.pem'), 'utf8')).toBe(made.certificatePem)
    expect((await readdir(dataDir)).includes('.sp.lock')).toBe(false)
  })

  it('leaves a whole pair or none when a process is killed at any moment', async () => {
    // Each child makes pairs in new folders until it is killed with -9 at a random moment;
    // every folder it touched must then give a pair, the same one when the pair was whole.
    const store = fileURLToPath(new URL('./store.ts', import.meta.url))
    const script = `const { loadOrCreateCredential } = await import(${JSON.stringify(store)})
      for (let n = 0; ; n++) {
        await loadOrCreateCredential(process.argv[1] + '/' + n, 'sp', { commonName: 'SP' })
        process.stdout.write('.')
      }`
    for (let child = 0; child < 3; child++) {
      const base = join(root, `killed-${child}`)
      const maker = spawn(process.execPath, [
        '--import',
        'tsx',
        '--input-type=module',
        '-e',
        script,
        base,
      ])
      let made = 0
      maker.stdout.on('data', (chunk: Buffer) => {
        made += chunk.length
      })
      while (made < 2 && maker.exitCode === null) await sleep(20)
      await sleep(Math.random() * 300)
      maker.kill('SIGKILL')
      await once(maker, 'exit')
      const folders = await readdir(base)
      expect(folders.length).toBeGreaterThanOrEqual(2)
      for (const folder of folders) {
        const dataDir = join(base, folder)
        const before = await readFile(join(dataDir, 'sp.key.pem'), 'utf8').catch(() => undefined)
        const credential = await loadOrCreateCredential(dataDir, 'sp', { commonName: 'SP' })
        if (before !== undefined) expect(credential.privateKeyPem).toBe(before)
        expect((await readdir(dataDir)).sort()).toEqual(['sp.crt.pem', 'sp.key.pem'])
      }
    }
  }, 120_000)

  it('makes a new pair of the key pair it is given, and leaves a kept pair as it is', async () => {
    const dataDir = join(root, 'given')
    const given = await generateRsaKeys()
    let asked = 0
    const keyPair = () => {
      asked++
      return Promise.resolve(given)
    }
    const made = await loadOrCreateCredential(dataDir, 'idp', { commonName: 'IdP', keyPair })
    const givenPem = given.privateKey.export({ format: 'pem', type: 'pkcs8' }).toString()
    expect(made.privateKeyPem).toBe(givenPem)
    expect(await readFile(join(dataDir, 'idp.key.pem'), 'utf8')).toBe(givenPem)
    expect(made.subject).toBe('CN=IdP')
    const again = await loadOrCreateCredential(dataDir, 'idp', { commonName: 'IdP', keyPair })
    expect(again.fingerprintSha256).toBe(made.fingerprintSha256)
    expect(asked).toBe(1)
  })

  it('refuses a name that would leave the data directory', async () => {
    await expect(
      loadOrCreateCredential(root, '../escape', { commonName: 'x' }),
    ).rejects.toMatchObject({ code: 'CONFIG_INVALID', check: 'CredentialName' })
  })
})
