import { spawn } from 'node:child_process'
import { readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { transform } from 'esbuild'
import { applyMutant, type Mutant } from './mutants.ts'

/** What one mutant came to against its rule's scenarios. */
export type Verdict =
  | { kind: 'killed'; by: string }
  | { kind: 'survived'; runs: number }
  | { kind: 'invalid'; reason: string }

export interface MutantOutcome {
  mutant: Mutant
  verdict: Verdict
  ms: number
}

/** A mutant still running after this long is counted killed: the scenario would hang in CI. */
const mutantTimeoutMs = 10 * 60_000

/**
 * Applies the mutant in a tree copy, runs `ssoproof run --rule <rule>` there in a child process
 * (so every module is loaded fresh, mutated), and puts the file back. The first failing scenario
 * kills the mutant and ends the child at once; a child that never gets to plan its runs (the
 * mutated code does not load) makes the mutant invalid, as does text that does not parse.
 */
export async function runMutant(
  tree: string,
  mutant: Mutant,
  signal: AbortSignal,
): Promise<MutantOutcome> {
  const started = performance.now()
  const done = (verdict: Verdict): MutantOutcome => ({
    mutant,
    verdict,
    ms: performance.now() - started,
  })
  const path = join(tree, mutant.file)
  let original: string
  try {
    original = readFileSync(path, 'utf8')
  } catch {
    return done({ kind: 'invalid', reason: `no file ${mutant.file}` })
  }
  const applied = applyMutant(original, mutant)
  if ('invalid' in applied) return done({ kind: 'invalid', reason: applied.invalid })
  try {
    await transform(applied.text, { loader: mutant.file.endsWith('.tsx') ? 'tsx' : 'ts' })
  } catch (error) {
    const first = (error as Error).message.split('\n').find((line) => line.includes('ERROR'))
    return done({
      kind: 'invalid',
      reason: `the mutated file does not parse: ${first ?? 'syntax error'}`,
    })
  }
  writeFileSync(path, applied.text)
  try {
    return done(await runRule(tree, mutant.rule, signal))
  } finally {
    writeFileSync(path, original)
  }
}

function runRule(tree: string, rule: string, signal: AbortSignal): Promise<Verdict> {
  return new Promise((resolve) => {
    const args = [
      join(tree, 'bin', 'ssoproof.js'),
      'run',
      '--rule',
      rule,
      '--workers',
      '1',
      '--verbose',
      '--seed',
      '1',
      '--reporter',
      'json',
      '--out',
      join(tree, '.mutate-out'),
    ]
    const child = spawn(process.execPath, args, {
      cwd: tree,
      env: { ...process.env, NO_COLOR: '1', FORCE_COLOR: '', CI: '' },
      stdio: ['ignore', 'pipe', 'pipe'],
    })
    let verdict: Verdict | undefined
    let planned = false
    let finished = 0
    let stdout = ''
    let stderr = ''
    const stop = (found: Verdict) => {
      verdict ??= found
      child.kill('SIGKILL')
    }
    const timer = setTimeout(
      () => stop({ kind: 'killed', by: `a hang (no verdict in ${mutantTimeoutMs / 60_000} min)` }),
      mutantTimeoutMs,
    )
    const onAbort = () => stop({ kind: 'invalid', reason: 'interrupted' })
    signal.addEventListener('abort', onAbort, { once: true })
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
      stdout += chunk
      const lines = stdout.split('\n')
      stdout = lines.pop() ?? ''
      for (const line of lines) {
        if (line.startsWith('ssoproof run: ')) planned = true
        const result = /^\s*\[\s*\d+\/\d+\] ([✓✗]) (.+?) \(\d+ ms\)/.exec(line)
        if (!result) continue
        finished += 1
        if (result[1] === '✗') stop({ kind: 'killed', by: result[2] ?? 'a scenario' })
      }
    })
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => {
      stderr = (stderr + chunk).slice(-4000)
    })
    child.on('close', (code) => {
      clearTimeout(timer)
      signal.removeEventListener('abort', onAbort)
      if (verdict) return resolve(verdict)
      if (code === 0) return resolve({ kind: 'survived', runs: finished })
      const last = stderr.trim().split('\n').filter(Boolean).at(-1) ?? `exit code ${code}`
      if (planned && finished === 0) {
        return resolve({ kind: 'invalid', reason: 'no scenario proves the rule' })
      }
      if (!planned)
        return resolve({ kind: 'invalid', reason: `the mutated code does not load: ${last}` })
      resolve({ kind: 'killed', by: `the run failing without a failed scenario (${last})` })
    })
  })
}
