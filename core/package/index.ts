import { existsSync, readFileSync } from 'node:fs'
import { basename, dirname, join } from 'node:path'

/**
 * Where ssoproof's own files are, the same from a checkout (TypeScript run by tsx or vitest) and
 * from the installed package (compiled JavaScript under `dist/`): the package root is the nearest
 * folder above this file with a package.json. Runtime assets (the scenario catalogue, rules.yaml,
 * schemas, the example campaigns) are read from there by their path in the repository, so no
 * reader depends on how deep its own compiled file sits.
 */
let root: string | undefined

export function packageRoot(): string {
  if (root === undefined) root = findRoot(import.meta.dirname)
  return root
}

/** A file or folder of the package by its path in the repository, e.g. `scenarios/rules.yaml`. */
export function packagePath(...segments: string[]): string {
  return join(packageRoot(), ...segments)
}

export function packageVersion(): string {
  const manifest = JSON.parse(readFileSync(packagePath('package.json'), 'utf8')) as {
    version: string
  }
  return manifest.version
}

/**
 * A folder for caches that only save time: `node_modules/.cache/ssoproof` of the project that
 * installed ssoproof, or of the checkout.
 */
export function packageCacheDir(): string {
  const parent = dirname(packageRoot())
  return basename(parent) === 'node_modules'
    ? join(parent, '.cache', 'ssoproof')
    : packagePath('node_modules', '.cache', 'ssoproof')
}

function findRoot(from: string): string {
  for (let dir = from; ; dir = dirname(dir)) {
    if (existsSync(join(dir, 'package.json'))) return dir
    if (dirname(dir) === dir) throw new Error(`no package.json above ${from}`)
  }
}
