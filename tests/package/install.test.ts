import { execFileSync, spawnSync } from 'node:child_process'
import { readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { SignJWT } from 'jose'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import {
  checkout,
  type Installed,
  installMode,
  packAndInstall,
  type Started,
  ssoproof,
  start,
} from './installed.ts'

// Building, packing and installing take a minute on a busy machine; compiling better-sqlite3 in
// the full mode takes several more.
const setupTimeout = installMode === 'full' ? 1_800_000 : 600_000
let installed: Installed
const running: Started[] = []

beforeAll(() => {
  installed = packAndInstall()
}, setupTimeout)

afterAll(async () => {
  await Promise.all(running.map((started) => started.stop()))
})

async function started(args: string[], ready: RegExp): Promise<Started> {
  const process = await start(installed, args, ready)
  running.push(process)
  return process
}

async function status(url: string): Promise<number> {
  const response = await fetch(url)
  await response.arrayBuffer()
  return response.status
}

describe(`the npm package, installed from its tarball into an empty project (${installMode} install)`, {
  timeout: 300_000,
}, () => {
  it('ships the compiled product, its runtime files and types, and no sources or tests', () => {
    const files = execFileSync('tar', ['-tzf', installed.tarball], { encoding: 'utf8' })
      .split('\n')
      .filter(Boolean)
      .map((path) => path.replace(/^package\//, ''))
    for (const file of [
      'bin/ssoproof.js',
      'dist/index.js',
      'dist/index.d.ts',
      'dist/cli/main.js',
      'dist/command/main.js',
      'dist/command/worker-loop.js',
      'dist/harness/engine/worker-loop.js',
      'dist/scripts/chromium.mjs',
      'scenarios/rules.yaml',
      'scenarios/catalogue/sign-in.yaml',
      'scenarios/scenario.schema.json',
      'sp/campaigns/example.yaml',
      'README.md',
    ]) {
      expect(files, file).toContain(file)
    }
    const unwanted = files.filter(
      (file) =>
        /\.test\.|test-support|(^|\/)tests?\//.test(file) ||
        /\.tsx?$/.test(file.replace(/\.d\.ts$/, '')) ||
        /^(\.ci|scripts)\//.test(file),
    )
    expect(unwanted).toEqual([])
    const manifest = JSON.parse(readFileSync(join(checkout, 'package.json'), 'utf8'))
    expect(manifest.private).toBeUndefined()
    expect(Object.keys(manifest.dependencies)).not.toContain('tsx')
    expect(manifest.peerDependenciesMeta.playwright.optional).toBe(true)
  })

  it('answers --version and --help without loading a command', () => {
    const version = ssoproof(installed, ['--version'])
    expect(version).toMatchObject({ code: 0, stdout: `${installed.version}\n` })
    const help = ssoproof(installed, ['--help'])
    expect(help.code).toBe(0)
    expect(help.stdout).toContain('merge-reports')
  })

  it('is a library: createPair serves IdP metadata, and its types check a consumer', () => {
    const script = `import { createCredential, createPair } from 'ssoproof'
const [idpCredential, spCredential] = await Promise.all([
  createCredential({ commonName: 'consumer IdP' }),
  createCredential({ commonName: 'consumer SP' }),
])
const { idp } = createPair({ idpBaseUrl: 'http://127.0.0.1:1', spBaseUrl: 'http://127.0.0.1:2', idpCredential, spCredential })
const response = await idp.app.request('/saml/metadata')
console.log(response.status, (await response.text()).includes('IDPSSODescriptor'))`
    const run = spawnSync(process.execPath, ['--input-type=module', '-e', script], {
      cwd: installed.project,
      encoding: 'utf8',
    })
    expect(run.stdout + run.stderr).toBe('200 true\n')

    const tsconfig = {
      compilerOptions: {
        module: 'nodenext',
        moduleResolution: 'nodenext',
        target: 'es2023',
        strict: true,
        noEmit: true,
        skipLibCheck: true,
        types: ['node'],
        typeRoots: [join(checkout, 'node_modules/@types')],
      },
      files: ['consumer.ts'],
    }
    writeFileSync(join(installed.project, 'tsconfig.json'), JSON.stringify(tsconfig))
    const tsc = join(checkout, 'node_modules/typescript/bin/tsc')
    const typecheck = (source: string) => {
      writeFileSync(join(installed.project, 'consumer.ts'), source)
      return spawnSync(process.execPath, [tsc, '-p', installed.project], { encoding: 'utf8' })
    }
    const good = typecheck(`import { createCredential, createIdp, type IdpOptions } from 'ssoproof'
const credential = await createCredential({ commonName: 'consumer' })
const options: IdpOptions = { baseUrl: 'http://127.0.0.1:1', credential }
const status: number = (await createIdp(options).app.request('/saml/metadata')).status
export { status }
`)
    expect(good.stdout + good.stderr).toBe('')
    const bad = typecheck(`import { createIdp } from 'ssoproof'
export const idp = createIdp({ baseUrl: 7000 })
`)
    expect(bad.status).not.toBe(0)
    expect(bad.stdout).toMatch(/consumer\.ts.*error TS\d+/)
  })

  it('runs scenarios of the built-in catalogue and writes the reports', () => {
    const out = join(installed.project, 'run-out')
    const run = ssoproof(installed, ['run', '--grep', '^sign-in-return-url \\[', '--out', out])
    expect(run.code, run.stdout + run.stderr).toBe(0)
    expect(run.stdout).toMatch(/4 passed, 0 failed, 4 total/)
    const report = JSON.parse(readFileSync(join(out, 'report.json'), 'utf8'))
    expect(report.tool).toEqual({ name: 'ssoproof', version: installed.version })
    expect(report.scenarios.map((result: { status: string }) => result.status)).toEqual([
      'passed',
      'passed',
      'passed',
      'passed',
    ])
  })

  it('runs scenarios in worker threads from the compiled files', async () => {
    const runner = join(installed.project, 'node_modules/ssoproof/dist/harness/engine/runner.js')
    const { runScenarios } = await import(runner)
    const { report } = await runScenarios({
      sources: [join(installed.project, 'node_modules/ssoproof/scenarios/catalogue/sign-in.yaml')],
      driver: 'http',
      seed: '3',
      workers: 2,
      runsPerWorker: 1,
      grep: '^sign-in-return-url',
    })
    expect(report.options.workers).toBe(2)
    expect(report.summary).toMatchObject({ failed: 0 })
    expect(report.summary.passed).toBeGreaterThanOrEqual(4)
  })

  it('says how to get Playwright when the browser driver is asked for without it (exit 2)', () => {
    const run = ssoproof(installed, ['run', '--driver', 'browser'])
    expect(run.code).toBe(2)
    expect(run.stderr).toContain('npm install playwright')
  })

  it('serves the IdP and SP; ssoproof sp tests that IdP; attack sends it forged messages', async () => {
    const data = join(installed.project, 'serve-data')
    const serve = await started(
      ['serve', '--idp-port', '0', '--sp-port', '0', '--data', data],
      /Press Ctrl-C/,
    )
    const idpUrl = /IdP {2}(http:\/\/127\.0\.0\.1:\d+)\/saml\/metadata/.exec(serve.output())?.[1]
    const spUrl = /SP {3}(http:\/\/127\.0\.0\.1:\d+)\//.exec(serve.output())?.[1]
    expect(await status(`${idpUrl}/saml/metadata`)).toBe(200)
    expect(await status(`${spUrl}/`)).toBe(200)

    const sp = await started(
      ['sp', '--saml-metadata', `${idpUrl}/saml/metadata`, '--port', '0', '--data', `${data}-sp`],
      /Press Ctrl-C/,
    )
    const testSp = /the reference SP at (http:\/\/127\.0\.0\.1:\d+)/.exec(sp.output())?.[1]
    expect(await status(`${testSp}/saml/metadata`)).toBe(200)

    expect(await serve.stop()).toBe(0)
    expect(serve.output()).toContain('ssoproof serve: stopped')
    // The attack's IdP: serve's port and key, so the SP trusts it as it trusted serve's IdP.
    const attack = ssoproof(installed, [
      'attack',
      '--sp-metadata',
      `${testSp}/saml/metadata`,
      '--start-url',
      `${testSp}/login`,
      '--idp-port',
      new URL(idpUrl ?? '').port,
      '--data',
      data,
      '--grep',
      'wrong-audience',
      '--out',
      join(installed.project, 'attack-out'),
    ])
    expect(attack.code, attack.stdout + attack.stderr).toBe(0)
    expect(attack.stdout).toMatch(/✓ accepted\s+\w+\s+baseline-valid-sign-in/)
    expect(attack.stdout).toMatch(/✓ refused\s+\w+\s+forged-saml-wrong-audience/)
    expect(attack.stdout).toContain('0 bypass, 0 hardening, 0 info')
    expect(await sp.stop()).toBe(0)
  })

  it('checks a token offline: accepted exits 0, a forged one 1', async () => {
    const secret = 'a-shared-secret-of-at-least-32-bytes'
    const token = await new SignJWT({ id: 'alice' })
      .setProtectedHeader({ alg: 'HS256' })
      .setIssuer('https://idp.example')
      .setAudience('https://sp.example')
      .setIssuedAt()
      .setExpirationTime('5m')
      .sign(new TextEncoder().encode(secret))
    const args = ['--secret', secret, '--alg', 'HS256', '--iss', 'https://idp.example']
    const accepted = ssoproof(installed, [
      'check',
      'jwt',
      token,
      ...args,
      '--aud',
      'https://sp.example',
    ])
    expect(accepted.code, accepted.stdout + accepted.stderr).toBe(0)
    expect(accepted.stdout).toContain('ACCEPTED')
    const forged = ssoproof(installed, [
      'check',
      'jwt',
      `${token.slice(0, -4)}AAAA`,
      ...args,
      '--aud',
      'https://sp.example',
    ])
    expect(forged.code).toBe(1)
    expect(forged.stdout).toContain('JWT_SIGNATURE_INVALID')
  })
})
