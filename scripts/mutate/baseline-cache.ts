import { execFileSync } from 'node:child_process'
import { createHash } from 'node:crypto'
import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs'
import { dirname, join } from 'node:path'
import type { RunReport } from '../../reports/model.ts'

/**
 * The unmutated baseline of `npm run mutate`, kept for the tree it ran on: a second run over
 * the same files (the checkout's tracked and untracked, unignored files, the salt naming the
 * run's options) reads it instead of running every scenario again. Any changed byte is another
 * tree and runs the baseline anew; outside a git checkout nothing is cached.
 */
export function treeHash(root: string, salt: string): string | undefined {
  let listing: string
  try {
    listing = execFileSync(
      'git',
      ['ls-files', '-z', '--cached', '--others', '--exclude-standard'],
      {
        cwd: root,
        encoding: 'utf8',
        maxBuffer: 64 * 1024 * 1024,
        stdio: ['ignore', 'pipe', 'ignore'],
      },
    )
  } catch {
    return undefined
  }
  const hash = createHash('sha256').update(salt).update('\0')
  for (const file of [...new Set(listing.split('\0').filter(Boolean))].sort()) {
    hash.update(file).update('\0')
    try {
      hash.update(readFileSync(join(root, file)))
    } catch {
      hash.update('(deleted)')
    }
    hash.update('\0')
  }
  return hash.digest('hex')
}

/** What the baseline depends on besides the files: the rules selected (none: all) and the driver. */
export function baselineSalt(rules: readonly string[]): string {
  return JSON.stringify({ rules: [...rules].sort(), driver: 'http' })
}

/**
 * The whole catalogue run unmutated with the http driver (as `npm test` runs it) is the baseline
 * of a `npm run mutate` over all rules: kept for this tree, so that run starts at the mutants.
 */
export function keepAsBaseline(root: string, report: RunReport): void {
  const hash = treeHash(root, baselineSalt([]))
  if (hash !== undefined) writeBaseline(cachePath(root), hash, report)
}

export function cachePath(root: string): string {
  return join(root, 'node_modules', '.cache', 'ssoproof', 'mutate-baseline.json')
}

export function readBaseline(path: string, hash: string): RunReport | undefined {
  try {
    const cached = JSON.parse(readFileSync(path, 'utf8')) as { hash?: unknown; report?: RunReport }
    return cached.hash === hash ? cached.report : undefined
  } catch {
    return undefined
  }
}

export function writeBaseline(path: string, hash: string, report: RunReport): void {
  mkdirSync(dirname(path), { recursive: true })
  const temporary = `${path}.${process.pid}`
  writeFileSync(temporary, JSON.stringify({ hash, report }))
  renameSync(temporary, path)
}
