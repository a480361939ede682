import { execFileSync } from 'node:child_process'
import {
  copyFileSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  realpathSync,
  rmSync,
  symlinkSync,
} from 'node:fs'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'

/**
 * Copies of the working tree that mutants are applied to, so the checkout itself is never
 * changed — not even for a moment, not even when the run is killed. Each copy holds the files git
 * tracks or would track (the working tree's own text, edits included), links the checkout's
 * node_modules and, like a clean clone beside it, sees `../shared`.
 */
export interface TreeCopies {
  paths: string[]
  remove(): void
}

export function copyTree(root: string, count: number): TreeCopies {
  const base = mkdtempSync(join(tmpdir(), 'ssoproof-mutate-'))
  const files = execFileSync('git', ['ls-files', '-co', '--exclude-standard', '-z'], {
    cwd: root,
    encoding: 'utf8',
  })
    .split('\0')
    .filter((file) => file !== '' && existsSync(join(root, file)))
  const shared = join(root, '..', 'shared')
  if (existsSync(shared)) symlinkSync(realpathSync(shared), join(base, 'shared'))
  const paths: string[] = []
  for (let index = 1; index <= count; index += 1) {
    const copy = join(base, `tree-${index}`)
    for (const file of files) {
      mkdirSync(dirname(join(copy, file)), { recursive: true })
      copyFileSync(join(root, file), join(copy, file))
    }
    symlinkSync(join(root, 'node_modules'), join(copy, 'node_modules'))
    paths.push(copy)
  }
  return { paths, remove: () => rmSync(base, { recursive: true, force: true }) }
}
