import { readFileSync } from 'node:fs'
import type { Clock } from '../core/clock/index.ts'
import { systemClock } from '../core/clock/index.ts'
import { UsageError } from './usage.ts'

/** What `ssoproof check` reads and writes through; tests pass their own. */
export interface CheckIo {
  stdout(text: string): void
  readStdin(): Promise<string>
  readFile(path: string): string
  fetch: typeof fetch
  clock: Clock
}

export const processIo: CheckIo = {
  stdout: (text) => {
    process.stdout.write(text)
  },
  readStdin: async () => {
    const chunks: Buffer[] = []
    for await (const chunk of process.stdin) chunks.push(Buffer.from(chunk))
    return Buffer.concat(chunks).toString('utf8')
  },
  readFile: (path) => readFileSync(path, 'utf8'),
  fetch: (input, init) => fetch(input, init),
  clock: systemClock,
}

/** The message operand: `-` is standard input, anything else a file. */
export async function readOperand(operand: string, io: CheckIo): Promise<string> {
  if (operand === '-') return io.readStdin()
  try {
    return io.readFile(operand)
  } catch {
    throw new UsageError(`cannot read the input file "${operand}"`)
  }
}

/** A PEM option: the PEM text itself, or the path of a file that holds it. */
export function readPemOption(value: string, option: string, io: CheckIo): string {
  if (value.includes('-----BEGIN')) return value
  try {
    return io.readFile(value)
  } catch {
    throw new UsageError(`--${option}: cannot read the file "${value}"`)
  }
}

/** `--at`: an ISO 8601 instant; unset, now. */
export function readInstant(value: string | boolean | undefined, io: CheckIo): number {
  if (value === undefined) return io.clock.now()
  const text = String(value)
  const at = /^\d{4}-\d{2}-\d{2}T/.test(text) ? Date.parse(text) : Number.NaN
  if (Number.isNaN(at)) {
    throw new UsageError(
      `--at must be an ISO 8601 instant such as 2030-01-01T12:00:00Z, got "${text}"`,
    )
  }
  return at
}

/** `--skew`: whole seconds, 0 to 3600. */
export function readSkewMs(value: string | boolean | undefined): number {
  const seconds = Number(value)
  if (!Number.isInteger(seconds) || seconds < 0 || seconds > 3600) {
    throw new UsageError(`--skew must be whole seconds from 0 to 3600, got "${String(value)}"`)
  }
  return seconds * 1000
}

export function requiredString(
  values: Record<string, string | boolean | undefined>,
  option: string,
): string {
  const value = values[option]
  if (typeof value !== 'string' || value.trim() === '') {
    throw new UsageError(`--${option} is required`)
  }
  return value
}
