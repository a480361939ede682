import type { RunReport, ScenarioResult } from './model.ts'

/** A word for a POSIX shell: single-quoted unless it is plainly safe. */
function shellWord(word: string): string {
  return /^[\w./:@=+-]+$/.test(word) ? word : `'${word.replaceAll("'", `'\\''`)}'`
}

/**
 * The command that runs one result again, alone, as it ran: its file, its scenario (`--grep`
 * anchored on the run id `<scenario> [<protocol>]`), its protocol, driver and the run's seed.
 */
export function rerunCommand(result: ScenarioResult, options: RunReport['options']): string {
  const id = result.scenarioId.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')
  return [
    'npx ssoproof run',
    shellWord(result.file),
    '--grep',
    shellWord(`^${id} \\[`),
    '--protocol',
    shellWord(result.protocol),
    '--driver',
    shellWord(result.driver),
    '--seed',
    shellWord(options.seed),
  ].join(' ')
}
