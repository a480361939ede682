import { create } from 'xmlbuilder2'
import { stripControlChars } from './control-chars.ts'
import { failureHeadline, failureOf, oneLine } from './failure.ts'
import { renderFailureText } from './failure-text.ts'
import type { RunReport, ScenarioResult } from './model.ts'

type XMLBuilder = ReturnType<typeof create>

/**
 * The run as JUnit XML, the dialect GitHub Actions reporters, Jenkins and GitLab read.
 *
 * One `<testsuite>` per scenario file, not per protocol: the file is what a developer opens to fix
 * a failure, GitLab lists suites by name (so `sign-in.yaml: 1 failed` points at the file), and
 * Jenkins builds its package/class tree from `classname`, which is derived from the file too. The
 * protocol is already in every testcase name (`<scenario id> [<protocol>]`) and in its properties.
 */
export function renderJunit(report: RunReport): string {
  const root = create({ version: '1.0', encoding: 'UTF-8' }).ele('testsuites', {
    name: 'ssoproof',
    tests: String(report.summary.total),
    failures: String(report.summary.failed),
    errors: '0',
    time: seconds(report.durationMs),
    timestamp: clean(report.startedAt),
  })
  for (const [file, results] of groupByFile(report.scenarios)) {
    const suite = root.ele('testsuite', {
      name: clean(file),
      tests: String(results.length),
      failures: String(results.filter((result) => result.status === 'failed').length),
      errors: '0',
      skipped: '0',
      time: seconds(results.reduce((sum, result) => sum + result.durationMs, 0)),
      timestamp: clean(report.startedAt),
    })
    addProperties(suite, {
      driver: report.options.driver,
      seed: report.options.seed,
      shard: report.options.shard && `${report.options.shard.index}/${report.options.shard.total}`,
    })
    for (const result of results) addTestcase(suite, result)
  }
  return root.end({ prettyPrint: true })
}

function addTestcase(suite: XMLBuilder, result: ScenarioResult): void {
  const testcase = suite.ele('testcase', {
    name: clean(result.id),
    classname: classname(result.file),
    file: clean(result.file),
    time: seconds(result.durationMs),
  })
  addProperties(testcase, {
    scenario: result.scenarioId,
    title: result.title,
    protocol: result.protocol,
    driver: result.driver,
    rules: result.rules.join(', '),
    tags: result.tags.join(', '),
    severity: result.attack?.severity,
    identity: result.attack?.identity,
    answered: result.attack?.answered,
    replay: result.attack?.replay?.command,
  })
  const failure = failureOf(result)
  if (!failure) return
  testcase
    .ele('failure', {
      message: clean(
        `${result.attack ? `[${result.attack.severity}] ` : ''}${failureHeadline(failure)}`,
      ),
      type: clean(failure.stepResult?.kind ?? 'scenario'),
    })
    .txt(stripControlChars(renderFailureText(result)))
}

function addProperties(parent: XMLBuilder, properties: Record<string, string | undefined>): void {
  const element = parent.ele('properties')
  for (const [name, value] of Object.entries(properties)) {
    if (value !== undefined) element.ele('property', { name, value: clean(value) })
  }
}

/**
 * Jenkins splits `classname` at dots into package and class, so the file's folders become the
 * package and its base name the class: `scenarios/catalogue/sign-in.yaml` → `scenarios.catalogue.sign-in`.
 */
function classname(file: string): string {
  const withoutExtension = file.replace(/\.ya?ml$/i, '')
  const parts = withoutExtension.split(/[\\/]+/).filter((part) => part !== '' && part !== '.')
  return clean(parts.map((part) => part.replaceAll('.', '_')).join('.')) || 'ssoproof'
}

function groupByFile(results: ScenarioResult[]): Map<string, ScenarioResult[]> {
  const groups = new Map<string, ScenarioResult[]>()
  for (const result of results) {
    const group = groups.get(result.file)
    if (group) group.push(result)
    else groups.set(result.file, [result])
  }
  return groups
}

/** Attribute values on one line: parsers would fold the line breaks into spaces anyway. */
function clean(value: string): string {
  return oneLine(stripControlChars(value))
}

function seconds(ms: number): string {
  return (ms / 1000).toFixed(3)
}
