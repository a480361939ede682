import { parseArgs } from 'node:util'
import type { LabOptions } from './runner.ts'

export interface LabCommand extends LabOptions {
  list: boolean
  keepRunning: boolean
  writeReadme: boolean
  help: boolean
}

export const labUsage = `npm run interop -- [options]
  --peer ID[,ID]      only cells that involve these peers (see --list)
  --cell ID[,ID]      only these cells; a trailing * matches a prefix (shibboleth/*)
  --list              print the peers and cells, start nothing
  --keep-running      leave the peers running after the cells, until Ctrl-C (debugging)
  --verbose           attach peer logs to every cell, not only to failures
  --out DIR           reports and the run folder (default reports/out/interop)
  --base-port N       first of the ports the lab binds (default 24000, or INTEROP_BASE_PORT)
  --write-readme      copy this run's matrix into README.md (a whole run only)`

export class LabUsageError extends Error {}

export function parseLabArgs(args: string[], env = process.env): LabCommand {
  let values: ReturnType<typeof parse>['values']
  try {
    values = parse(args).values
  } catch (error) {
    throw new LabUsageError((error as Error).message)
  }
  const basePort = Number(values['base-port'] ?? env.INTEROP_BASE_PORT ?? 24000)
  if (!Number.isInteger(basePort) || basePort < 1024 || basePort > 65_000) {
    throw new LabUsageError(`--base-port must be a port from 1024 to 65000, got ${basePort}`)
  }
  const list = (value: string | undefined) =>
    (value ?? '')
      .split(',')
      .map((item) => item.trim())
      .filter(Boolean)
  return {
    peers: list(values.peer),
    cells: list(values.cell),
    outDir: values.out ?? 'reports/out/interop',
    basePort,
    verbose: values.verbose ?? false,
    cellTimeoutMs: 90_000,
    list: values.list ?? false,
    keepRunning: values['keep-running'] ?? false,
    writeReadme: values['write-readme'] ?? false,
    help: values.help ?? false,
  }
}

function parse(args: string[]) {
  return parseArgs({
    args,
    strict: true,
    allowPositionals: false,
    options: {
      peer: { type: 'string' },
      cell: { type: 'string' },
      list: { type: 'boolean' },
      'keep-running': { type: 'boolean' },
      verbose: { type: 'boolean' },
      out: { type: 'string' },
      'base-port': { type: 'string' },
      'write-readme': { type: 'boolean' },
      help: { type: 'boolean', short: 'h' },
    },
  })
}
