import { readFileSync, statSync } from 'node:fs'
import { dirname, join, resolve } from 'node:path'
import { SsoError } from '../core/errors/index.ts'
import { packageVersion } from '../core/package/index.ts'
import { mergeRunReports, type ReportSource } from '../harness/engine/merge-reports.ts'
import { runReportSchema } from '../reports/model.ts'
import { writeReports } from '../reports/write-reports.ts'
import { readReporters, reportOptions } from './report-options.ts'
import { runSummaryLine } from './run-output.ts'
import { type CommandSpec, parseCommandLine, UsageError } from './usage.ts'

const spec: CommandSpec = {
  name: 'merge-reports',
  usage:
    'ssoproof merge-reports DIR|report.json... [--reporter junit,json,html,markdown] [--out DIR]',
  options: { ...reportOptions },
}

export const mergeReportsCommand = { spec, run }

/**
 * Reads the report.json of each folder (the `--out` of one `ssoproof run --shard i/n`), merges
 * them (harness/engine/merge-reports.ts) and writes every report again, the screenshots the
 * results name copied along. Exit 0 when every merged result passed, 1 otherwise, 2 for a
 * usage error (no folder, one without a report.json).
 */
async function run(args: string[]): Promise<number> {
  const { values, positionals } = parseCommandLine(spec, args)
  if (positionals.length === 0) {
    throw new UsageError('give the folders of the runs to merge (each holds a report.json)')
  }
  const reporters = readReporters(values.reporter)
  const sources = positionals.map(readSource)
  const report = mergeRunReports(sources, packageVersion())
  const screenshots: Record<string, Uint8Array> = {}
  for (const source of sources) {
    for (const result of source.report.scenarios) {
      for (const step of result.steps) {
        if (step.screenshot) {
          screenshots[step.screenshot] = readFileSync(join(dirname(source.file), step.screenshot))
        }
      }
    }
  }
  const written = await writeReports(report, {
    outDir: resolve(String(values.out)),
    reporters,
    screenshots,
  })
  const write = (line: string) => process.stdout.write(`${line}\n`)
  write(`ssoproof merge-reports: ${sources.length} reports`)
  write(runSummaryLine(report))
  for (const path of written) write(`  ${path}`)
  return report.summary.failed === 0 ? 0 : 1
}

function readSource(operand: string): ReportSource {
  let file = resolve(operand)
  try {
    if (statSync(file).isDirectory()) file = join(file, 'report.json')
  } catch {
    throw new UsageError(`no such file or folder: ${operand} (give the --out folder of a run)`)
  }
  let text: string
  try {
    text = readFileSync(file, 'utf8')
  } catch {
    throw new UsageError(
      `no report at ${file}: run "ssoproof run" with the json reporter (the default) into that folder`,
    )
  }
  let data: unknown
  try {
    data = JSON.parse(text)
  } catch (error) {
    throw new SsoError('REPORT_INVALID', 'merge-reports', `${file} is not JSON`, {
      file,
      detail: (error as Error).message,
    })
  }
  const parsed = runReportSchema.safeParse(data)
  if (!parsed.success) {
    const issue = parsed.error.issues[0]
    throw new SsoError(
      'REPORT_INVALID',
      'merge-reports',
      `${file} is not an ssoproof run report: ${issue?.path.join('.') || '(root)'}: ${issue?.message ?? 'invalid'}`,
      { file },
    )
  }
  return { file, report: parsed.data }
}
