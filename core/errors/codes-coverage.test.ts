import { readdirSync, readFileSync } from 'node:fs'
import { join, relative } from 'node:path'
import { fileURLToPath } from 'node:url'
import { describe, expect, it } from 'vitest'
import { errorCodes } from './codes.ts'

/**
 * Every stable code is raised by the product and asserted by a test or a scenario: a code no
 * code path raises is dead, and one no test asserts may be raised wrongly or not at all without
 * anything failing. A static scan of the repository, so it holds for codes added later too:
 * - raised: the code appears as a string literal in a source file of the product or harness —
 *   never `codes.ts` itself, a test, a scenario, a test fixture or test support;
 * - asserted: the code appears in a test (`*.test.ts(x)`, outside comments and test titles) or in
 *   a scenario of `scenarios/` (outside comments and titles) — never in this file.
 */
const root = fileURLToPath(new URL('../../', import.meta.url))
const folders = [
  'core',
  'idp',
  'sp',
  'cli',
  'harness',
  'reports',
  'scripts',
  'tests',
  'scenarios',
  'interop',
]
const codes = Object.keys(errorCodes)
const self = relative(root, fileURLToPath(import.meta.url))

function filesUnder(folder: string): string[] {
  return readdirSync(join(root, folder), { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile() && /\.(tsx?|ya?ml|mjs)$/.test(entry.name))
    .map((entry) => relative(root, join(entry.parentPath, entry.name)))
    .filter((file) => !file.split('/').includes('node_modules'))
}

const isTest = (file: string) => /\.test\.tsx?$/.test(file)
const isScenario = (file: string) => file.startsWith('scenarios/') && /\.ya?ml$/.test(file)
const isTestSupport = (file: string) =>
  file.startsWith('tests/') || /(^|\/)test-support\.ts$/.test(file) || /fixtures?\//.test(file)

/** Test code with comments and the titles of describe/it/test blocks taken out. */
function testCode(text: string): string {
  return text
    .replace(/\/\*[\s\S]*?\*\//g, '')
    .replace(/(^|[^:'"`])\/\/.*$/gm, '$1')
    .replace(/(?:\b(?:describe|it|test)(?:\.\w+)*|\))\(\s*(['"`])(?:\\.|(?!\1)[^\\])*\1/g, '')
}

/** A scenario file without comments and titles. */
function scenarioCode(text: string): string {
  return text.replace(/#.*$/gm, '').replace(/^\s*(?:-\s*)?title:.*$/gm, '')
}

function scan() {
  const raised = new Set<string>()
  const asserted = new Set<string>()
  for (const file of folders.flatMap(filesUnder)) {
    if (file === 'core/errors/codes.ts' || file === self) continue
    const text = readFileSync(join(root, file), 'utf8')
    if (isTest(file) || isScenario(file)) {
      const code = isTest(file) ? testCode(text) : scenarioCode(text)
      for (const name of codes) if (new RegExp(`\\b${name}\\b`).test(code)) asserted.add(name)
    } else if (!isTestSupport(file) && /\.tsx?$/.test(file)) {
      for (const name of codes) if (new RegExp(`['"\`]${name}['"\`]`).test(text)) raised.add(name)
    }
  }
  return { raised, asserted }
}

describe('error codes (core/errors/codes.ts)', () => {
  const { raised, asserted } = scan()

  it('are each raised somewhere in the product', () => {
    expect(codes.filter((code) => !raised.has(code))).toEqual([])
  })

  it('are each asserted by a test or a scenario', () => {
    expect(codes.filter((code) => !asserted.has(code))).toEqual([])
  })

  it('counts neither the code table nor a test title as a use (the scan can fail)', () => {
    const title = "it('refuses it (SAML_REPLAY)', () => { expect(x).toBe(1) }) // SAML_EXPIRED"
    expect(testCode(title)).not.toMatch(/SAML_REPLAY|SAML_EXPIRED/)
    const table = "it.each([['late', 'SAML_EXPIRED']])('refuses %s (SAML_REPLAY)', check)"
    expect(testCode(table)).toContain('SAML_EXPIRED')
    expect(testCode(table)).not.toContain('SAML_REPLAY')
    expect(testCode("expect(code).toBe('SAML_REPLAY')")).toContain('SAML_REPLAY')
    expect(
      scenarioCode('- title: "SAML_REPLAY"\n  # SAML_EXPIRED\n  error: SAML_ISSUER_MISMATCH'),
    ).toBe('\n  \n  error: SAML_ISSUER_MISMATCH')
    expect(raised.size).toBeGreaterThan(100)
    expect(asserted.size).toBeGreaterThan(100)
  })
})
