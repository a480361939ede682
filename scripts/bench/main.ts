// `npm run bench`: every figure of the benchmark, a table on stdout, reports/out/bench.json.
// Options: --only ID[,ID] (saml-issuance, saml-validation, jwt, oidc, catalogue, serve, start-up),
// --smoke (a few iterations each, numbers meaningless), --out FILE, --sign-ins N (how many
// sign-ins against serve before its memory is read; default 100000), --memory-seconds S (their
// time box; default 60, 0 for none; when it ends first the figure reads "not reached").
// --profile DIR: a CPU profile per figure there (the bench process's, and serve's own).
import { resolve } from 'node:path'
import { parseArgs } from 'node:util'
import { formatTable } from './bench-report.ts'
import { smokeBudget } from './measure.ts'
import { defaultOutFile, runBench, sectionIds, writeBenchJson } from './run-bench.ts'

const { values } = parseArgs({
  options: {
    only: { type: 'string' },
    smoke: { type: 'boolean', default: false },
    out: { type: 'string' },
    'sign-ins': { type: 'string' },
    'memory-seconds': { type: 'string' },
    profile: { type: 'string' },
  },
})
const only = values.only?.split(',').map((id) => id.trim())
const unknown = only?.filter((id) => !sectionIds.includes(id)) ?? []
if (unknown.length > 0) {
  process.stderr.write(
    `bench: unknown figure ${unknown.join(', ')}; choose from ${sectionIds.join(', ')}\n`,
  )
  process.exit(2)
}
const count = (name: 'sign-ins' | 'memory-seconds'): number | undefined => {
  const text = values[name]
  if (text === undefined) return undefined
  if (!/^\d+$/.test(text)) {
    process.stderr.write(`bench: --${name} must be a whole number, got "${text}"\n`)
    process.exit(2)
  }
  return Number(text)
}
const signIns = count('sign-ins')
const memorySeconds = count('memory-seconds')
const out = values.out ? resolve(values.out) : defaultOutFile
const report = await runBench({
  ...(values.smoke ? { budget: smokeBudget } : {}),
  ...(only ? { only } : {}),
  ...(signIns !== undefined ? { signIns } : {}),
  ...(memorySeconds !== undefined ? { memorySeconds } : {}),
  ...(values.profile ? { profileDir: resolve(values.profile) } : {}),
  progress: (line) => process.stderr.write(`bench: ${line}\n`),
})
writeBenchJson(report, out)
const missed = report.figures.filter((row) => row.goal && !row.goal.met)
process.stdout.write(
  [
    `ssoproof bench (${report.mode}) on ${report.machine.cpus} × ${report.machine.cpuModel}, Node ${report.machine.node}, load average ${report.machine.loadAverage.toFixed(2)} at start`,
    '',
    formatTable(report),
    '',
    `${report.figures.filter((row) => row.goal?.met).length} goals met, ${missed.length} missed${missed.length > 0 ? ` (${missed.map((row) => row.id).join(', ')})` : ''}; ${(report.durationMs / 1000).toFixed(1)} s in all; wrote ${out}`,
    '',
  ].join('\n'),
)
