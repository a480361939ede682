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
  })
})
