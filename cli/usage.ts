import { parseArgs } from 'node:util'
import { closestName } from '../core/config/did-you-mean.ts'

/** A CLI option as `ssoproof <command> --help` shows it and parseArgs reads it. */
export interface OptionSpec {
  type: 'string' | 'boolean'
  description: string
  default?: string
  valueName?: string
}

export interface CommandSpec {
  name: string
  usage: string
  options: Record<string, OptionSpec>
  /** Paragraphs shown after the options (exit codes, what the command leaves out and why). */
  notes?: string[]
}

export class UsageError extends Error {
  override name = 'UsageError'
}

export function commandHelp(spec: CommandSpec, summary: string): string {
  const rows = Object.entries(spec.options).map(([name, option]) => {
    const flag = option.type === 'string' ? `--${name} ${option.valueName ?? 'VALUE'}` : `--${name}`
    const suffix = option.default !== undefined ? ` (default: ${option.default})` : ''
    return `  ${flag.padEnd(24)} ${option.description}${suffix}`
  })
  const notes = (spec.notes ?? []).map((note) => `\n${note}\n`).join('')
  return `${summary}\n\nUsage: ${spec.usage}\n\nOptions:\n${rows.join('\n')}\n  ${'--help'.padEnd(24)} Show this help\n${notes}`
}

/** Parses a command's arguments strictly: unknown options and stray positionals are usage errors. */
export function parseCommandArgs(
  spec: CommandSpec,
  args: string[],
): Record<string, string | boolean | undefined> {
  const { values, positionals } = parseCommandLine(spec, args)
  if (positionals.length > 0) throw new UsageError(`unexpected argument "${positionals[0]}"`)
  return values
}

/** As `parseCommandArgs`, for commands that take operands (files, folders) after the options. */
export function parseCommandLine(
  spec: CommandSpec,
  args: string[],
): { values: Record<string, string | boolean | undefined>; positionals: string[] } {
  const options: Record<string, { type: 'string' | 'boolean'; default?: string }> = {
    help: { type: 'boolean' },
  }
  for (const [name, option] of Object.entries(spec.options)) {
    options[name] =
      option.default !== undefined
        ? { type: option.type, default: option.default }
        : { type: option.type }
  }
  try {
    const { values, positionals } = parseArgs({
      args,
      options,
      strict: true,
      allowPositionals: true,
    })
    return { values: values as Record<string, string | boolean | undefined>, positionals }
  } catch (error) {
    throw new UsageError(argumentProblem(error as Error & { code?: string }, spec))
  }
}

/** parseArgs' message, shortened, with the closest known option for an unknown one. */
function argumentProblem(error: Error & { code?: string }, spec: CommandSpec): string {
  if (error.code !== 'ERR_PARSE_ARGS_UNKNOWN_OPTION') return error.message
  const typed = /'(-{1,2}[^']*)'/.exec(error.message)?.[1] ?? ''
  const close = closestName(typed.replace(/^-+/, ''), ['help', ...Object.keys(spec.options)])
  return `unknown option "${typed}"${close === undefined ? '' : `; did you mean "--${close}"?`}`
}

export function parsePort(value: string | boolean | undefined, option: string): number {
  const port = Number(value)
  if (!Number.isInteger(port) || port < 0 || port > 65_535) {
    throw new UsageError(
      `--${option} must be a port number from 0 to 65535, got "${String(value)}"`,
    )
  }
  return port
}

/**
 * Takes a repeatable host option (`--allow-host A --allow-host B`, or `--allow-host=A`) out of
 * the arguments, which parseArgs cannot repeat: its values, and the rest of the arguments.
 */
export function takeRepeatedHosts(
  args: string[],
  name: string,
): { values: string[]; rest: string[] } {
  const values: string[] = []
  const rest: string[] = []
  for (let index = 0; index < args.length; index++) {
    const arg = args[index] ?? ''
    if (arg === `--${name}`) {
      const value = args[index + 1]
      if (value === undefined || value.startsWith('--')) {
        throw new UsageError(`--${name} needs a host name`)
      }
      values.push(value)
      index++
    } else if (arg.startsWith(`--${name}=`)) values.push(arg.slice(name.length + 3))
    else rest.push(arg)
  }
  for (const host of values) {
    if (!/^[A-Za-z0-9.:[\]/-]+$/.test(host)) {
      throw new UsageError(`--${name} takes a host name such as sp.example.test, got "${host}"`)
    }
  }
  return { values, rest }
}

/** An optional http(s) URL option (a base URL), without its trailing slashes. */
export function optionalUrl(
  value: string | boolean | undefined,
  option: string,
): string | undefined {
  if (typeof value !== 'string') return undefined
  if (!/^https?:\/\/[^/]/i.test(value) || !URL.canParse(value)) {
    throw new UsageError(`--${option} must be an http(s) URL, got "${value}"`)
  }
  return value.replace(/\/+$/, '')
}
