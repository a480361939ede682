import type { Begun } from './main.ts'
import type { CommandSpec } from './usage.ts'

/** A command of the CLI: its spec and what it does, loaded only when it is the one asked for. */
export interface Command {
  spec: CommandSpec
  run(args: string[]): Promise<number>
}

export interface CommandEntry {
  name: string
  summary: string
  load(): Promise<Command>
  /**
   * Work the command begins before its code is imported, given its arguments (not for --help):
   * `serve` starts generating its IdP's key on a first start (serve-keys.ts), or takes the one
   * bin/ssoproof.js began.
   */
  prepare?(args: string[], begun: Begun): Promise<void>
}

/**
 * Every command with the one-line summary `ssoproof --help` lists. Each module is imported only
 * when its command runs, so `--help`, `--version` and a usage error never load the IdP, the SP
 * or the harness.
 */
export const commands: CommandEntry[] = [
  {
    name: 'run',
    summary: 'Run scenario files against the built-in IdP and SP and write reports',
    load: async () => (await import('./run.ts')).runCommand,
  },
  {
    name: 'serve',
    summary: 'Start the mock IdP and the reference SP, wired to each other',
    load: async () => (await import('./serve.ts')).serveCommand,
    prepare: async (args, { idpKeyPair }) => {
      const { beginServeKeys } = await import('./serve-keys.ts')
      beginServeKeys(args, idpKeyPair && (() => idpKeyPair))
    },
  },
  {
    name: 'sp',
    summary: 'Start the reference SP against your own IdP, with a diagnostics page per sign-in',
    load: async () => (await import('./sp.ts')).spCommand,
  },
  {
    name: 'check',
    summary: "Validate one SAML Response or JWT offline with the reference SP's own checks",
    load: async () => (await import('./check.ts')).checkCommand,
  },
  {
    name: 'merge-reports',
    summary: 'Merge the reports of several "run --shard i/n" runs into one, coverage recomputed',
    load: async () => (await import('./merge-reports.ts')).mergeReportsCommand,
  },
  {
    name: 'attack',
    summary:
      "Send the fake IdP's forged and broken messages to your own SP and report what it accepts",
    load: async () => (await import('./attack.ts')).attackCommand,
  },
]
