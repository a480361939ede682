import { readdirSync, readFileSync, statSync } from 'node:fs'
import { join, relative, resolve } from 'node:path'
import { isMap, isSeq, LineCounter, type Node, parseDocument } from 'yaml'
import type * as z from 'zod'
import { didYouMean } from '../../core/config/did-you-mean.ts'
import { issueMessage } from '../../core/config/issue-message.ts'
import { SsoError } from '../../core/errors/index.ts'
import { packagePath } from '../../core/package/index.ts'
import { ruleRoles, type Scenario, scenarioSchema } from './scenario-schema.ts'
import { isStepKind, type Step, stepKinds, stepRegistry } from './steps/index.ts'

/** The built-in catalogue, run when `ssoproof run` is given no files. */
export const builtInCatalogue = packagePath('scenarios', 'catalogue')

/** One problem in a scenario file, located for a person: `file:line:column path: message`. */
export interface ScenarioIssue {
  file: string
  line: number
  column: number
  path: string
  message: string
}

export function formatIssue(issue: ScenarioIssue): string {
  const where = issue.path ? ` ${issue.path}:` : ''
  return `${issue.file}:${issue.line}:${issue.column}${where} ${issue.message}`
}

/** Every `.yaml`/`.yml` file under the given files and folders, sorted, each once. */
export function findScenarioFiles(sources: string[]): string[] {
  const found = new Set<string>()
  const visit = (path: string, explicit: boolean) => {
    let stats: ReturnType<typeof statSync>
    try {
      stats = statSync(path)
    } catch {
      throw new SsoError('SCENARIO_INVALID', 'files', `no such file or folder: ${path}`, { path })
    }
    if (stats.isDirectory()) {
      for (const entry of readdirSync(path).sort()) visit(join(path, entry), false)
    } else if (explicit || /\.ya?ml$/.test(path)) {
      found.add(resolve(path))
    }
  }
  for (const source of sources) visit(source, true)
  return [...found].sort()
}

/**
 * Reads and validates scenario files. Every problem in every file is collected; if there is
 * any, one SCENARIO_INVALID error lists them all (`evidence.issues`), each with file and line.
 */
export function loadScenarios(sources: string[], cwd = process.cwd()): Scenario[] {
  const scenarios: Scenario[] = []
  const issues: ScenarioIssue[] = []
  for (const path of findScenarioFiles(sources)) {
    const near = relative(cwd, path)
    const file = near && !near.startsWith('..') ? near : path
    const loaded = loadScenarioText(readFileSync(path, 'utf8'), file)
    scenarios.push(...loaded.scenarios)
    issues.push(...loaded.issues)
  }
  const firstFile = new Map<string, Scenario>()
  for (const scenario of scenarios) {
    const earlier = firstFile.get(scenario.id)
    if (earlier) {
      issues.push({
        file: scenario.file,
        line: scenario.line,
        column: 1,
        path: 'id',
        message: `duplicate scenario id "${scenario.id}" (first in ${earlier.file}:${earlier.line})`,
      })
    } else firstFile.set(scenario.id, scenario)
  }
  if (issues.length > 0) throw scenarioError(issues)
  return scenarios
}

export function scenarioError(issues: ScenarioIssue[]): SsoError {
  const lines = issues.map(formatIssue)
  const count = issues.length === 1 ? '1 problem' : `${issues.length} problems`
  return new SsoError('SCENARIO_INVALID', 'scenario file', `${count} in scenario files`, {
    issues: lines,
  })
}

/** Parses one file's text: a scenario mapping or a list of them. */
export function loadScenarioText(
  text: string,
  file: string,
): { scenarios: Scenario[]; issues: ScenarioIssue[] } {
  const lineCounter = new LineCounter()
  const document = parseDocument(text, { lineCounter, prettyErrors: false, uniqueKeys: true })
  const locate = (offset: number) => {
    const { line, col } = lineCounter.linePos(offset)
    return { line, column: col }
  }
  if (document.errors.length > 0) {
    return {
      scenarios: [],
      issues: document.errors.map((error) => ({
        file,
        ...locate(error.pos[0]),
        path: '',
        message: error.message.split('\n')[0] ?? 'invalid YAML',
      })),
    }
  }
  const root = document.contents
  const entries: { node: Node; pathPrefix: (string | number)[] }[] = isSeq(root)
    ? root.items.map((node, index) => ({ node: node as Node, pathPrefix: [index] }))
    : isMap(root)
      ? [{ node: root, pathPrefix: [] }]
      : []
  if (entries.length === 0) {
    return {
      scenarios: [],
      issues: [
        { file, line: 1, column: 1, path: '', message: 'expected a scenario or a list of them' },
      ],
    }
  }
  const scenarios: Scenario[] = []
  const issues: ScenarioIssue[] = []
  const nodeAt = (path: (string | number)[]): Node | undefined => {
    let node: unknown = root
    let found: Node | undefined
    for (const key of path) {
      if (isMap(node) || isSeq(node)) {
        const next = (node as { get(key: unknown, keepScalar: true): unknown }).get(key, true)
        if (next === undefined) break
        node = next
        found = next as Node
      } else break
    }
    return found ?? (root as Node)
  }
  const issueAt = (path: (string | number)[], message: string): ScenarioIssue => {
    const node = nodeAt(path)
    const offset = node?.range?.[0] ?? 0
    return { file, ...locate(offset), path: dottedPath(path), message }
  }
  for (const entry of entries) {
    const raw = (entry.node as { toJSON(): unknown }).toJSON()
    const parsed = scenarioSchema.safeParse(raw)
    // Every step is checked even when the rest of the scenario is wrong, so one run of the
    // loader lists all of a file's problems, not the first kind of them.
    const rawSteps = (raw as { steps?: unknown }).steps
    const steps: Step[] = []
    const stepIssues: ScenarioIssue[] = []
    for (const [index, rawStep] of (Array.isArray(rawSteps) ? rawSteps : []).entries()) {
      const stepPath = [...entry.pathPrefix, 'steps', index]
      const result = parseStep(rawStep)
      if ('error' in result) {
        stepIssues.push(issueAt([...stepPath, ...result.path], result.error))
        continue
      }
      const node = nodeAt(stepPath)
      steps.push({ ...result.step, line: locate(node?.range?.[0] ?? 0).line } as Step)
    }
    if (!parsed.success) {
      const schemaIssues = parsed.error.issues.map((issue) =>
        issueAt(
          [...entry.pathPrefix, ...(issue.path as (string | number)[])],
          issueMessage(scenarioSchema, issue),
        ),
      )
      const stepsReported = new Set(stepIssues.map((issue) => issue.path))
      issues.push(...schemaIssues.filter((issue) => !stepsReported.has(issue.path)), ...stepIssues)
      continue
    }
    issues.push(...stepIssues)
    const line = locate(entry.node.range?.[0] ?? 0).line
    const { rules, ...rest } = parsed.data
    scenarios.push({ ...rest, ...ruleRoles(rules), file, line, steps })
  }
  return { scenarios, issues }
}

/** Checks one step: a bare keyword or a one-key mapping whose value fits the keyword. */
export function parseStep(
  raw: unknown,
): { step: Step } | { error: string; path: (string | number)[] } {
  let kind: string
  let arg: unknown
  if (typeof raw === 'string') {
    kind = raw
    arg = undefined
  } else if (raw && typeof raw === 'object' && !Array.isArray(raw)) {
    const keys = Object.keys(raw)
    if (keys.length !== 1) {
      return {
        error: `a step has exactly one keyword, found ${keys.length === 0 ? 'none' : keys.join(', ')}`,
        path: [],
      }
    }
    kind = keys[0] as string
    arg = (raw as Record<string, unknown>)[kind]
  } else {
    return { error: 'a step is a keyword or a one-key mapping', path: [] }
  }
  if (!isStepKind(kind)) {
    return {
      error: `unknown step "${kind}"${didYouMean(kind, stepKinds)}; steps are: ${stepKinds.join(', ')}`,
      path: typeof raw === 'string' ? [] : [kind],
    }
  }
  const schema: z.ZodType = stepRegistry[kind].schema
  const result = schema.safeParse(arg ?? undefined)
  if (!result.success) {
    const issue = result.error.issues[0]
    const where =
      typeof raw === 'string' ? [] : [kind, ...((issue?.path ?? []) as (string | number)[])]
    return { error: issue?.message ?? 'invalid step', path: where }
  }
  return { step: { kind, arg: result.data } as Step }
}

function dottedPath(path: (string | number)[]): string {
  return path
    .map((key, index) => (typeof key === 'number' ? `[${key}]` : index === 0 ? key : `.${key}`))
    .join('')
}
