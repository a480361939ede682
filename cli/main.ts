import { SsoError } from '../core/errors/index.ts'
import { attackCommand } from './attack.ts'
import { checkCommand } from './check.ts'
import { runCommand } from './run.ts'
import { serveCommand } from './serve.ts'
import { spCommand } from './sp.ts'
import { type CommandSpec, commandHelp, UsageError } from './usage.ts'

interface Command {
  spec: CommandSpec
  run(args: string[]): Promise<number>
}

const commands: Command[] = [runCommand, serveCommand, spCommand, checkCommand, attackCommand]

function mainHelp(): string {
  const rows = commands.map(
    (command) => `  ${command.spec.name.padEnd(10)} ${command.spec.summary}`,
  )
  return `ssoproof — a mock identity provider, a reference service provider and a conformance
harness for single sign-on (SAML 2.0, JWT, OpenID Connect).

Usage: ssoproof <command> [options]

Commands:
${rows.join('\n')}

Run "ssoproof <command> --help" for the options of a command.
`
}

/** Runs the CLI; returns the process exit code (0 ok, 1 failure, 2 usage error). */
export async function main(argv: string[]): Promise<number> {
  const [name, ...rest] = argv
  if (name === undefined || name === '--help' || name === '-h' || name === 'help') {
    process.stdout.write(mainHelp())
    return name === undefined ? 2 : 0
  }
  const command = commands.find((candidate) => candidate.spec.name === name)
  if (!command) {
    process.stderr.write(`ssoproof: unknown command "${name}"\n\n${mainHelp()}`)
    return 2
  }
  if (rest.includes('--help') || rest.includes('-h')) {
    process.stdout.write(commandHelp(command.spec))
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
    if (error instanceof SsoError) {
      process.stderr.write(`ssoproof ${name}: ${error.code}: ${error.reason}\n  ${error.hint}\n`)
      for (const issue of (error.evidence.issues as string[] | undefined) ?? [])
        process.stderr.write(`  - ${issue}\n`)
      return 1
    }
    throw error
  }
}
