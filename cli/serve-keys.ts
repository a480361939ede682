import { existsSync } from 'node:fs'
import { join, resolve } from 'node:path'
import { defaultServeDataDir, serveDataDirArgument } from '../bin/serve-data-dir.js'
import { generateRsaKeys, type RsaKeyPair } from '../core/keys/key-pair.ts'

/** `serve`'s `--data` default. */
export const defaultDataDir = defaultServeDataDir

let early: Promise<RsaKeyPair> | undefined

/**
 * On a first start of `serve` (its data folder holds no IdP key), begins generating the IdP's
 * RSA key at once, before serve's code is imported: an RSA key's prime search is the longest
 * part of a first start, and it runs on libuv's threads while this thread loads the code.
 * Only a start that will generate a key begins one; the key goes to the IdP's credential
 * (`takeEarlyIdpKeyPair`), once. How `--data` is read here decides only whether a key is begun
 * early — a fresh key either way — never which folder is used: serve parses its options itself.
 * Returns the generation begun, if any (`generate`: the key bin/ssoproof.js began before any of
 * the CLI loaded, with the same test; tests hold the key back).
 */
export function beginServeKeys(
  args: readonly string[],
  generate: () => Promise<RsaKeyPair> = generateRsaKeys,
): Promise<RsaKeyPair> | undefined {
  if (early) return undefined
  const dataDir = resolve(serveDataDirArgument(args) ?? defaultDataDir)
  if (existsSync(join(dataDir, 'idp-signing.key.pem'))) return undefined
  early = generate()
  early.catch(() => {}) // a failure is the IdP credential's, thrown where it is awaited
  return early
}

/** The key pair `beginServeKeys` began, for the one credential it is for; then none. */
export function takeEarlyIdpKeyPair(): (() => Promise<RsaKeyPair>) | undefined {
  const begun = early
  if (!begun) return undefined
  early = undefined
  return () => begun
}
