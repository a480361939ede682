import { spawn, spawnSync } from 'node:child_process'
import { createHash, createPublicKey } from 'node:crypto'
import { once } from 'node:events'
import { existsSync } from 'node:fs'
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join, relative } from 'node:path'
import { setTimeout as sleep } from 'node:timers/promises'
import { fileURLToPath } from 'node:url'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { generateRsaKeys, type RsaKeyPair } from '../core/keys/key-pair.ts'
import { startServe } from './serve.ts'
import { beginServeKeys, takeEarlyIdpKeyPair } from './serve-keys.ts'

let root: string

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'ssoproof-serve-keys-'))
})

afterAll(async () => {
  takeEarlyIdpKeyPair() // none left over for another file's serve
  await rm(root, { recursive: true, force: true })
})

const pem = (pair: { privateKey: { export(o: object): string | Buffer } }) =>
  pair.privateKey.export({ format: 'pem', type: 'pkcs8' }).toString()

describe('serve keys begun before the code loads', () => {
  it('begins the IdP key only when the data folder holds none, and gives it out once', async () => {
    const kept = join(root, 'kept')
    await mkdir(kept)
    await writeFile(join(kept, 'idp-signing.key.pem'), 'a kept key')
    expect(beginServeKeys(['--data', kept, '--idp-port', '0'])).toBeUndefined()
    expect(beginServeKeys([`--data=${kept}`])).toBeUndefined()
    expect(takeEarlyIdpKeyPair()).toBeUndefined()

    // The last --data counts, as parseArgs reads it; a relative folder is the working folder's.
    const begun = beginServeKeys([
      '--data',
      kept,
      '--data',
      relative(process.cwd(), join(root, 'new')),
    ])
    expect(begun).toBeDefined()
    expect(beginServeKeys(['--data', join(root, 'other')])).toBeUndefined() // one at a time
    const take = takeEarlyIdpKeyPair()
    expect(takeEarlyIdpKeyPair()).toBeUndefined()
    const pair = await take?.()
    expect(pair?.privateKey.asymmetricKeyType).toBe('rsa')
    expect(pair?.privateKey.asymmetricKeyDetails?.modulusLength).toBe(2048)
    expect(pair && pem(pair)).toBe(pem(await (begun as NonNullable<typeof begun>)))
  })

  it('serve makes its IdP credential of the key begun early', { timeout: 60_000 }, async () => {
    const dataDir = join(root, 'serve')
    const begun = beginServeKeys(['--data', dataDir])
    expect(begun).toBeDefined()
    const serve = await startServe({
      idpPort: 0,
      spPort: 0,
      host: '127.0.0.1',
      dataDir,
      log: () => {},
    })
    try {
      const early = pem(await (begun as NonNullable<typeof begun>))
      expect(await readFile(join(dataDir, 'idp-signing.key.pem'), 'utf8')).toBe(early)
      expect(await readFile(join(dataDir, 'sp-signing.key.pem'), 'utf8')).not.toBe(early)
      expect(takeEarlyIdpKeyPair()).toBeUndefined()
    } finally {
      await serve.close()
    }
  })

  it('opens the IdP database and listens while the key is still being made', {
    timeout: 60_000,
  }, async () => {
    const dataDir = join(root, 'held')
    let release: (pair: RsaKeyPair) => void = () => {}
    beginServeKeys(['--data', dataDir], () => new Promise((resolve) => (release = resolve)))
    // Ports of this file's own range: the URL must be known before startServe returns.
    const starting = startServe({
      idpPort: 25180,
      spPort: 25181,
      host: '127.0.0.1',
      dataDir,
      log: () => {},
    })
    const metadata = 'http://127.0.0.1:25180/saml/metadata'
    let status: number | undefined
    for (let tries = 0; tries < 600 && status === undefined; tries++) {
      status = await fetch(metadata).then(
        async (answer) => {
          await answer.arrayBuffer()
          return answer.status
        },
        () => undefined,
      )
      if (status === undefined) await sleep(50)
    }
    expect(status).toBe(503)
    expect(existsSync(join(dataDir, 'idp.sqlite'))).toBe(true)
    expect(existsSync(join(dataDir, 'idp-signing.key.pem'))).toBe(false)
    release(await generateRsaKeys())
    const serve = await starting
    try {
      const answer = await fetch(metadata)
      expect(answer.status).toBe(200)
      expect(await answer.text()).toContain('EntityDescriptor')
    } finally {
      await serve.close()
    }
  })

  // bin/ssoproof.js in a process of its own (tsx from the checkout): seconds on a busy machine.
  it('a usage error of a first start exits 2 with its whole message, writing nothing', {
    timeout: 180_000,
  }, () => {
    const dataDir = join(root, 'usage-error')
    const bin = fileURLToPath(new URL('../bin/ssoproof.js', import.meta.url))
    const result = spawnSync(process.execPath, [bin, 'serve', '--data', dataDir, '--bogus'], {
      encoding: 'utf8',
      timeout: 120_000,
    })
    expect(result.status).toBe(2)
    expect(result.stderr).toBe(
      'ssoproof serve: unknown option "--bogus"\nRun "ssoproof serve --help" for the options.\n',
    )
    expect(existsSync(dataDir)).toBe(false)
  })

  // A preload records each RSA generation of the process: the file that asked for it (the first
  // frame of the stack in a file of its own, not node's or the preload's) and its public key's digest.
  it('bin/ssoproof.js begins the IdP key before any of the CLI loads, and serve uses that key', {
    timeout: 180_000,
  }, async () => {
    const hook = join(root, 'record-keys.mjs')
    await writeFile(
      hook,
      `import crypto from 'node:crypto'
import { syncBuiltinESMExports } from 'node:module'
const original = crypto.generateKeyPair
crypto.generateKeyPair = function (...args) {
  const caller = (new Error().stack ?? '').split('\\n').slice(2).find((line) => !/node:|[(]<anonymous>[)]/.test(line) && !line.includes(import.meta.url))
  const callback = args.pop()
  return original.call(this, ...args, (error, publicKey, privateKey) => {
    if (!error) {
      const digest = crypto.createHash('sha256').update(publicKey.export({ format: 'der', type: 'spki' })).digest('hex')
      process.stderr.write('generated ' + JSON.stringify({ caller, digest }) + '\\n')
    }
    callback(error, publicKey, privateKey)
  })
}
crypto.generateKeyPair[Symbol.for('nodejs.util.promisify.custom')] = (...args) =>
  new Promise((done, fail) =>
    crypto.generateKeyPair(...args, (error, publicKey, privateKey) => (error ? fail(error) : done({ publicKey, privateKey }))))
syncBuiltinESMExports()
`,
    )
    const bin = fileURLToPath(new URL('../bin/ssoproof.js', import.meta.url))
    const generated = (stderr: string) =>
      [...stderr.matchAll(/^generated (.*)$/gm)].map(
        (line) => JSON.parse(line[1] as string) as { caller: string; digest: string },
      )
    const dataDir = join(root, 'bin')
    // --help makes no key.
    const help = spawnSync(process.execPath, ['--import', hook, bin, 'serve', '--help'], {
      encoding: 'utf8',
      timeout: 120_000,
    })
    expect(help.status).toBe(0)
    expect(generated(help.stderr)).toEqual([])

    const child = spawn(
      process.execPath,
      [
        '--import',
        hook,
        bin,
        'serve',
        '--data',
        dataDir,
        '--idp-port',
        '25182',
        '--sp-port',
        '25183',
      ],
      { stdio: ['ignore', 'ignore', 'pipe'] },
    )
    let stderr = ''
    child.stderr.on('data', (chunk: Buffer) => {
      stderr += chunk.toString('utf8')
    })
    try {
      const spKey = join(dataDir, 'sp-signing.key.pem')
      for (let tries = 0; tries < 1200 && !existsSync(spKey); tries++) {
        if (child.exitCode !== null) throw new Error(`serve exited: ${stderr}`)
        await sleep(100)
      }
      await sleep(200) // the SP's key written: its generation's line is out
    } finally {
      child.kill()
      await once(child, 'exit')
    }
    const [idp, sp, ...more] = generated(stderr)
    expect(more).toEqual([])
    expect(idp?.caller).toContain(bin)
    expect(sp?.caller).not.toContain(bin)
    const key = createPublicKey(await readFile(join(dataDir, 'idp-signing.key.pem'), 'utf8'))
    const digest = createHash('sha256')
      .update(key.export({ format: 'der', type: 'spki' }))
      .digest('hex')
    expect(idp?.digest).toBe(digest)
    expect(sp?.digest).not.toBe(digest)
  })
})
