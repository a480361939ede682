import { mkdtempSync, readFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it, vi } from 'vitest'
import { runCli } from './test-support.ts'

/** Runs `ssoproof attack` in this process; any request would mean the usage check came too late. */
async function attack(args: string[]) {
  const network = vi.spyOn(globalThis, 'fetch')
  try {
    return { ...(await runCli(['attack', ...args])), requests: network.mock.calls }
  } finally {
    network.mockRestore()
  }
}

describe('ssoproof attack usage', () => {
  it('refuses a target that is not loopback, before any request', async () => {
    const run = await attack(['--acs', 'https://sp.example.com/acs', '--audience', 'sp'])
    expect(run.code).toBe(2)
    expect(run.stderr).toContain(
      'refusing to attack https://sp.example.com/acs: sp.example.com is neither loopback nor named with --allow-host',
    )
    expect(run.stdout).toBe('')
    expect(run.requests).toEqual([])
  })

  it('refuses remote SP metadata, and a start URL elsewhere than the ACS host', async () => {
    const metadata = await attack(['--sp-metadata', 'http://10.0.0.5/saml/metadata'])
    expect(metadata.code).toBe(2)
    expect(metadata.stderr).toContain('10.0.0.5 is neither loopback')
    const start = await attack([
      '--acs',
      'http://127.0.0.1:9/acs',
      '--audience',
      'sp',
      '--allow-host',
      'sp.example.com',
      '--start-url',
      'http://other.example.com/login',
    ])
    expect(start.code).toBe(2)
    expect(start.stderr).toContain('other.example.com is neither loopback')
    expect([...metadata.requests, ...start.requests]).toEqual([])
  })

  it('asks for exactly one target, and for what each protocol needs', async () => {
    const cases: Array<[string[], string]> = [
      [[], 'name the SP'],
      [['--acs', 'http://127.0.0.1:9/acs'], '--acs needs --audience'],
      [
        ['--return-url', 'http://127.0.0.1:9/cb', '--acs', 'http://127.0.0.1:9/acs'],
        'one protocol',
      ],
      [['--redirect-uri', 'http://127.0.0.1:9/cb'], '--redirect-uri needs --client-id'],
      [['--redirect-uri', 'http://127.0.0.1:9/cb', '--client-id', 'c'], 'give --start-url'],
      [['--acs', 'nope', '--audience', 'sp'], '--acs must be an http(s) URL'],
      [['--acs', 'http://127.0.0.1:9/acs', '--audience', 'sp', '--timeout', 'x'], '--timeout'],
      [['--acs', 'http://127.0.0.1:9/acs', '--audience', 'sp', '--binding', 'soap'], '--binding'],
      [
        ['--acs', 'http://127.0.0.1:9/acs', '--audience', 'sp', '--allow-host'],
        '--allow-host needs',
      ],
    ]
    for (const [args, message] of cases) {
      const run = await attack(args)
      expect(run.code, args.join(' ')).toBe(2)
      expect(run.stderr, args.join(' ')).toContain(message)
    }
  })

  it('documents every option and the default success signal in --help', async () => {
    const run = await attack(['--help'])
    expect(run.code).toBe(0)
    for (const option of ['--sp-metadata', '--allow-host', '--success-cookie', '--start-url']) {
      expect(run.stdout).toContain(option)
    }
    expect(run.stdout).toContain('none given: no SP answer of 400 or more')
    expect(run.stdout).toContain('4 at least one bypass')
    // The two catalogue cases never sent to another SP, and why.
    expect(run.stdout).toContain('forged-saml-in-response-to-missing-unsolicited-allowed (it needs')
    expect(run.stdout).toContain('forged-saml-logout-deflate-bomb (it rides on a LogoutRequest')
  })

  it('writes the fake IdP metadata with --print-metadata and exits, sending nothing', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'ssoproof-attack-metadata-'))
    const file = join(dir, 'idp.xml')
    const args = ['--print-metadata', file, '--data', dir, '--idp-port', '0']
    const run = await attack([...args, '--idp-base-url', 'http://127.0.0.1:26123'])
    expect(run.code).toBe(0)
    expect(run.requests).toEqual([])
    const metadata = readFileSync(file, 'utf8')
    expect(metadata).toContain('entityID="http://127.0.0.1:26123/saml/metadata"')
    expect(metadata).toContain('<ds:X509Certificate>')
    expect(run.stdout).toContain(`to ${file}`)
    // The same key from run to run: the SP configured from it keeps trusting the next attack.
    await attack([...args, '--idp-base-url', 'http://127.0.0.1:26123'])
    expect(readFileSync(file, 'utf8')).toBe(metadata)
  })
})
