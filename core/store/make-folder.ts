import { mkdirSync, statSync } from 'node:fs'
import { dirname } from 'node:path'
import { SsoError } from '../errors/index.ts'

/**
 * `mkdir -p`, one level at a time, each new folder with `mode`. Node 20's own (`recursive: true`)
 * never returns for a path under /proc — it retries ENOENT for ever — so a mistyped --data or
 * --out hung the command. Throws the system's error: ENOTDIR when a file stands where a folder
 * of the path should be, EACCES where this user may not create one, ENOENT where the file system
 * holds no new folders. Returns the folders it made, outermost first.
 */
export function makeFolder(folder: string, mode = 0o700): string[] {
  const missing: string[] = []
  for (let at = folder; ; at = dirname(at)) {
    if (isFolder(at)) break
    missing.push(at)
    if (dirname(at) === at) break
  }
  const made: string[] = []
  for (const path of missing.reverse()) {
    try {
      mkdirSync(path, { mode })
      made.push(path)
    } catch (error) {
      // Made meanwhile by another process (two first starts over one folder): as good.
      if (!(codeOf(error) === 'EEXIST' && isFolder(path))) throw error
    }
  }
  return made
}

/**
 * makeFolder for a folder the user named (the data folder, a report folder): CONFIG_INVALID
 * saying which (`what`, e.g. "the data folder"), where and why.
 */
export function makeNamedFolder(folder: string, what: string, mode = 0o700): string[] {
  try {
    return makeFolder(folder, mode)
  } catch (error) {
    const code = codeOf(error) ?? 'unknown'
    throw new SsoError(
      'CONFIG_INVALID',
      'folder',
      `${what} ${folder} cannot be made: ${folderProblem(code)} (${code})`,
      { folder, errno: code },
    )
  }
}

/** What a system error while making a folder means, in a person's words. */
export function folderProblem(code: string): string {
  if (code === 'ENOTDIR' || code === 'EEXIST')
    return 'a file stands where a folder of its path should be'
  if (code === 'EACCES' || code === 'EPERM' || code === 'EROFS')
    return 'this user may not create or write it'
  if (code === 'ENOSPC') return 'the disk is full'
  if (code === 'ENOENT') return 'the file system there holds no new folders'
  return 'the system refused'
}

function isFolder(path: string): boolean {
  try {
    if (statSync(path).isDirectory()) return true
  } catch (error) {
    if (codeOf(error) === 'ENOENT') return false
    throw error
  }
  throw Object.assign(new Error(`ENOTDIR: not a directory: ${path}`), { code: 'ENOTDIR' })
}

function codeOf(error: unknown): string | undefined {
  const code = (error as { code?: unknown } | undefined)?.code
  return typeof code === 'string' ? code : undefined
}
