import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import { commands } from './commands.ts'
import { runCli } from './test-support.ts'

const version = (
  JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as {
    version: string
  }
).version

describe('ssoproof', () => {
  it('prints the package version', async () => {
    for (const flag of ['--version', '-V', 'version']) {
      const { code, stdout } = await runCli([flag])
      expect(code).toBe(0)
      expect(stdout).toBe(`${version}\n`)
    }
  })

  it('lists every command with its summary; no arguments is a usage error', async () => {
    const help = await runCli(['--help'])
    expect(help.code).toBe(0)
    for (const command of commands) {
      expect(help.stdout).toMatch(new RegExp(`\\n  ${command.name} +${command.summary}`))
    }
    expect((await runCli([])).code).toBe(2)
  })

  // Loads every command module (the whole product): generous for a busy machine.
  it('shows a command its own options and summary', { timeout: 120_000 }, async () => {
    for (const command of commands) {
      const { code, stdout } = await runCli([command.name, '--help'])
      expect(code).toBe(0)
      expect(stdout.startsWith(`${command.summary}\n\nUsage: ssoproof ${command.name}`)).toBe(true)
    }
  })

  it('suggests the closest command and option for a typo, exit 2', async () => {
    const command = await runCli(['serv'])
    expect(command.code).toBe(2)
    expect(command.stderr).toContain('unknown command "serv"; did you mean "serve"?')
    const option = await runCli(['run', '--sheard', '1/2'])
    expect(option.code).toBe(2)
    expect(option.stderr).toContain('unknown option "--sheard"; did you mean "--shard"?')
    const far = await runCli(['run', '--frobnicate'])
    expect(far.code).toBe(2)
    expect(far.stderr).toContain('unknown option "--frobnicate"\n')
  })
})
