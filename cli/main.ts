import { didYouMean } from '../core/config/did-you-mean.ts'
import type { RsaKeyPair } from '../core/keys/key-pair.ts'
import { packageVersion } from '../core/package/index.ts'
import { commands } from './commands.ts'
import { commandHelp, UsageError } from './usage.ts'

function mainHelp(): string {
  const rows = commands.map((command) => `  ${command.name.padEnd(14)} ${command.summary}`)
  return `ssoproof — a mock identity provider, a reference service provider and a conformance
harness for single sign-on (SAML 2.0, JWT, OpenID Connect).

Usage: ssoproof <command> [options]

Commands:
${rows.join('\n')}

Run "ssoproof <command> --help" for the options of a command, "ssoproof --version" for the version.
`
}

/** What bin/ssoproof.js began before the CLI's code loaded. */
export interface Begun {
  /** serve's IdP key pair, begun on a first start (the same test as serve-keys.ts). */
  idpKeyPair?: Promise<RsaKeyPair> | undefined
}

/** Runs the CLI; returns the process exit code (0 ok, 1 failure, 2 usage error). */
export async function main(argv: string[], begun: Begun = {}): Promise<number> {
  const [name, ...rest] = argv
  if (name === undefined || name === '--help' || name === '-h' || name === 'help') {
    process.stdout.write(mainHelp())
    return name === undefined ? 2 : 0
  }
  if (name === '--version' || name === '-V' || name === 'version') {
    process.stdout.write(`${packageVersion()}\n`)
    return 0
  }
  const entry = commands.find((candidate) => candidate.name === name)
  if (!entry) {
    const names = commands.map((command) => command.name)
    process.stderr.write(
      `ssoproof: unknown command "${name}"${didYouMean(name, names)}\n\n${mainHelp()}`,
    )
    return 2
  }
  const help = rest.includes('--help') || rest.includes('-h')
  if (!help) await entry.prepare?.(rest, begun)
  const command = await entry.load()
  if (help) {
    process.stdout.write(commandHelp(command.spec, entry.summary))
    return 0
  }
  try {
    return await command.run(rest)
  } catch (error) {
    if (error instanceof UsageError) {
      process.stderr.write(
        `ssoproof ${name}: ${error.message}\nRun "ssoproof ${name} --help" for the options.\n`,
      )
      return 2
    }
    const { SsoError } = await import('../core/errors/index.ts')
    if (error instanceof SsoError) {
      process.stderr.write(`ssoproof ${name}: ${error.code}: ${error.reason}\n  ${error.hint}\n`)
      for (const issue of (error.evidence.issues as string[] | undefined) ?? [])
        process.stderr.write(`  - ${issue}\n`)
      return 1
    }
    throw error
  }
}
