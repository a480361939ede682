import grammar from '@xmldom/xmldom/lib/grammar.js'

/**
 * xmldom 0.9.12's SAX parser compiles a new RegExp from its QName grammar (676 characters of
 * Unicode ranges) at EVERY end tag — `g.reg('^', g.QName_group, g.S_OPT, '$')` in lib/sax.js,
 * and `getMatch` the same for each comment and CDATA section — reading `reg` from the grammar
 * module's exports at each call: 0.2 ms of the SP's 2 ms per POST /saml/acs. `reg` is pure: the
 * same parts give a RegExp of the same source and flags (`u` or none, never `g` or `y`, so it
 * keeps no state between matches). Importing this module replaces it, in the one grammar module
 * sax.js reads, by a copy that builds each RegExp once per distinct parts (compared by identity:
 * xmldom passes its own grammar constants and string literals) and hands back that RegExp after.
 * What xmldom accepts and rejects does not change: grammar-memo.test.ts parses well-formed and
 * malformed documents with and without it. Remove this file when xmldom compiles its end-tag
 * pattern once.
 */

export type Reg = (this: unknown, ...parts: (RegExp | string)[]) => RegExp

/** One level per part; the parts' count picks the tree, so a leaf is always a RegExp. */
type Branch = Map<RegExp | string, Branch | RegExp>

/**
 * `build` with memory: at most `maxEntries` distinct calls remembered, past that it builds as
 * before. A call without a receiver goes straight to `build` (xmldom's `reg` refuses a bare `|`
 * only then).
 */
export function memoiseReg(build: Reg, maxEntries: number) {
  const byCount = new Map<number, Branch>()
  const counts = { builds: 0, hits: 0, entries: 0 }

  function remember(parts: (RegExp | string)[], built: RegExp): void {
    let branch = byCount.get(parts.length)
    if (branch === undefined) {
      branch = new Map()
      byCount.set(parts.length, branch)
    }
    for (let i = 0; i < parts.length - 1; i++) {
      const part = parts[i] as RegExp | string
      let next = branch.get(part) as Branch | undefined
      if (next === undefined) {
        next = new Map()
        branch.set(part, next)
      }
      branch = next
    }
    branch.set(parts[parts.length - 1] as RegExp | string, built)
  }

  const reg: Reg = function (this: unknown, ...parts) {
    if (this === undefined) return build.apply(this, parts)
    let node: Branch | RegExp | undefined = byCount.get(parts.length)
    for (let i = 0; node !== undefined && i < parts.length; i++) {
      node = (node as Branch).get(parts[i] as RegExp | string)
    }
    if (node instanceof RegExp) {
      counts.hits++
      return node
    }
    const built = build.apply(this, parts)
    counts.builds++
    if (counts.entries < maxEntries && parts.length > 0 && !built.global && !built.sticky) {
      remember(parts, built)
      counts.entries++
    }
    return built
  }
  return { reg, counts: () => ({ ...counts }) }
}

/**
 * xmldom 0.9.12 calls `reg` while parsing with 11 distinct sets of parts, all its own constants:
 * 2 at end tags, 9 in `getMatch` (comments, CDATA sections and the DOCTYPE parseXml refuses).
 */
const maxEntries = 64

const original: Reg | undefined = typeof grammar.reg === 'function' ? grammar.reg : undefined
const memo = original === undefined ? undefined : memoiseReg(original, maxEntries)
if (memo !== undefined) grammar.reg = memo.reg

/** Whether the memo is in place; xmldom's own `reg`, for a test that parses without the memo. */
export const grammarMemo = {
  installed: memo !== undefined && grammar.reg === memo.reg,
  original,
}
