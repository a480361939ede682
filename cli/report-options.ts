import { type ReporterName, reporterFiles } from '../reports/model.ts'
import { type OptionSpec, UsageError } from './usage.ts'

const allReporters = Object.keys(reporterFiles) as ReporterName[]

/** `--reporter` and `--out`, as every command that writes run reports takes them. */
export const reportOptions: Record<'reporter' | 'out', OptionSpec> = {
  reporter: {
    type: 'string',
    valueName: 'LIST',
    description: `Reports to write, comma-separated (${allReporters.join(', ')})`,
    default: allReporters.join(','),
  },
  out: {
    type: 'string',
    valueName: 'DIR',
    description: 'Where reports go',
    default: 'reports/out',
  },
}

/** The `--reporter` list, each name checked. */
export function readReporters(value: string | boolean | undefined): ReporterName[] {
  const names = String(value)
    .split(',')
    .map((name) => name.trim())
    .filter((name) => name !== '')
  for (const name of names) {
    if (!(allReporters as string[]).includes(name)) {
      throw new UsageError(`unknown reporter "${name}"; choose from ${allReporters.join(', ')}`)
    }
  }
  return names as ReporterName[]
}
