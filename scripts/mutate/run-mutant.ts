import { type ChildProcess, spawn } from 'node:child_process'
import { readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { transform } from 'esbuild'
import type { MutantAnswer, MutantJob } from './mutant-worker-loop.ts'
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
const mutantTimeoutMs = 5 * 60_000
/** Each mutant leaves its reloaded modules behind; a fresh process after this many keeps memory flat. */
const mutantsPerProcess = 40

/**
 * One tree copy and its long-lived worker process (mutant-worker.mjs): the harness loads once,
 * and each mutant reloads only the file it changes and that file's importers, then runs the
 * rule's scenarios with the http driver. The process is replaced after a hang, a crash or
 * `mutantsPerProcess` mutants.
 */
export class MutantWorker {
  #child: ChildProcess | undefined
  #ready: Promise<void> | undefined
  #served = 0

  constructor(readonly tree: string) {}

  /**
   * Applies the mutant in the tree copy, has the worker run the rule's scenarios against it and
   * puts the file back. The first failing scenario kills the mutant; text that does not parse,
   * code that does not load or a file the scenarios never load make it invalid.
   */
  async run(mutant: Mutant, signal: AbortSignal): Promise<MutantOutcome> {
    const started = performance.now()
    const done = (verdict: Verdict): MutantOutcome => ({
      mutant,
      verdict,
      ms: performance.now() - started,
    })
    const path = join(this.tree, mutant.file)
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
    await this.#started()
    writeFileSync(path, applied.text)
    try {
      return done(await this.#ask({ file: mutant.file, rule: mutant.rule }, signal))
    } finally {
      writeFileSync(path, original)
      this.#served += 1
      if (this.#served >= mutantsPerProcess) this.close()
    }
  }

  close(): void {
    this.#child?.kill('SIGKILL')
    this.#child = undefined
    this.#ready = undefined
    this.#served = 0
  }

  #started(): Promise<void> {
    this.#ready ??= new Promise((resolve, reject) => {
      const child = spawn(
        process.execPath,
        [join(this.tree, 'scripts', 'mutate', 'mutant-worker.mjs')],
        {
          cwd: this.tree,
          env: { ...process.env, NO_COLOR: '1', FORCE_COLOR: '', CI: '' },
          stdio: ['ignore', 'ignore', 'pipe', 'ipc'],
        },
      )
      let stderr = ''
      child.stderr?.setEncoding('utf8').on('data', (chunk: string) => {
        stderr = (stderr + chunk).slice(-4000)
      })
      child.once('message', () => resolve())
      child.once('exit', (code) => {
        if (this.#child === child) this.close()
        reject(new Error(`the mutant worker ended (exit ${code}): ${stderr.trim()}`))
      })
      this.#child = child
    })
    return this.#ready
  }

  #ask(job: MutantJob, signal: AbortSignal): Promise<Verdict> {
    const child = this.#child
    if (!child) return Promise.resolve({ kind: 'invalid', reason: 'the worker is not running' })
    return new Promise((resolve) => {
      const finish = (verdict: Verdict) => {
        clearTimeout(timer)
        signal.removeEventListener('abort', onAbort)
        child.off('message', onMessage)
        child.off('exit', onExit)
        resolve(verdict)
      }
      const timer = setTimeout(() => {
        this.close()
        finish({ kind: 'killed', by: `a hang (no verdict in ${mutantTimeoutMs / 60_000} min)` })
      }, mutantTimeoutMs)
      const onAbort = () => {
        this.close()
        finish({ kind: 'invalid', reason: 'interrupted' })
      }
      const onMessage = (answer: MutantAnswer) =>
        finish(answer.kind === 'killed' ? { kind: 'killed', by: answer.by } : answer)
      // A mutant that crashes the process (an uncaught error, an exit) is a failing run.
      const onExit = (code: number | null) =>
        finish({ kind: 'killed', by: `the worker process crashing (exit ${code})` })
      signal.addEventListener('abort', onAbort, { once: true })
      child.on('message', onMessage)
      child.once('exit', onExit)
      child.send(job)
    })
  }
}
