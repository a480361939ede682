import { decodeJwt } from 'jose'
import { ns, parseXml, textContent } from '../../core/xml/index.ts'
import type { Delivery } from './browser.ts'

/**
 * What the SP's page shows for a look-alike identifier (catalogue case 33) the IdP signed:
 * - `kept`: the exact look-alike (raw, HTML- or JSON-escaped): a distinct account, the odd
 *   identifier taken as it came (hardening: it should have been refused);
 * - `folded`: the identifier it imitates and never the look-alike: the SP trimmed or dropped the
 *   invisible part and signed the visitor in as someone else (bypass);
 * - `unseen`: neither (the page names nobody, or only attributes): left to check by hand.
 */
export interface LookAlikeSeen {
  verdict: 'kept' | 'folded' | 'unseen'
  /** The identifier it imitates, as a careless SP reads it. */
  folded: string
  /** One line for the report; the look-alike spelled with escapes, never raw. */
  text: string
}

// What careless SPs drop: zero-width and direction marks, BOM, word joiner, Hangul fillers.
const invisible = /[\u00ad\u115f\u1160\u180e\u200b-\u200f\u202a-\u202e\u2060-\u2064\u3164\ufeff]/g

/** The identifier a look-alike imitates: compatibility-normalised, invisibles dropped, trimmed. */
export function foldLookAlike(value: string): string {
  return value.normalize('NFKC').replace(invisible, '').trim()
}

/** Searches `page` (the SP's final page and URL) for the signed look-alike versus its fold. */
export function lookAlikeSeen(signed: string, page: string): LookAlikeSeen {
  const folded = foldLookAlike(signed)
  const text = decodeEscapes(page)
  const exact = wholeValueSpans(text, signed)
  const foldedShown = [...text.matchAll(wordPattern(folded))].some(
    (match) => !exact.some(([from, to]) => match.index >= from && match.index < to),
  )
  const spelled = `"${escapeInvisible(signed)}"`
  if (exact.length > 0) {
    return {
      verdict: 'kept',
      folded,
      text: `the final page shows the signed look-alike ${spelled} as it came: a distinct identifier, not ${folded}`,
    }
  }
  if (signed !== folded && foldedShown) {
    return {
      verdict: 'folded',
      folded,
      text: `the final page shows ${folded} and never the signed look-alike ${spelled}: the SP folded it into ${folded}'s identity`,
    }
  }
  return {
    verdict: 'unseen',
    folded,
    text: `the final page shows neither the signed look-alike ${spelled} nor ${folded}: check by hand`,
  }
}

/** The subject the IdP signed in a delivered message: a SAML Response's NameID or a JWT's sub. */
export function signedSubject(delivery: Delivery | undefined): string | undefined {
  if (!delivery) return undefined
  const fields = { ...Object.fromEntries(safeQuery(delivery.url)), ...delivery.form }
  try {
    if (fields.SAMLResponse) {
      const doc = parseXml(Buffer.from(fields.SAMLResponse, 'base64').toString('utf8'))
      const nameId = doc.getElementsByTagNameNS(ns.saml, 'NameID')[0]
      return nameId ? textContent(nameId) : undefined
    }
    const token = fields.token ?? fields.id_token
    const sub = token ? decodeJwt(token).sub : undefined
    return typeof sub === 'string' ? sub : undefined
  } catch {
    return undefined
  }
}

/** HTML character references and JSON string escapes turned back into the characters. */
export function decodeEscapes(page: string): string {
  const named: Record<string, string> = {
    nbsp: '\u00a0',
    amp: '&',
    lt: '<',
    gt: '>',
    quot: '"',
    apos: "'",
  }
  return page
    .replace(/&#x([0-9a-f]{1,6});|&#(\d{1,7});|&([a-z]+);/gi, (whole, hex, decimal, name) => {
      if (name !== undefined) return named[name.toLowerCase()] ?? whole
      const code = Number.parseInt(hex ?? decimal, hex ? 16 : 10)
      return code <= 0x10ffff ? String.fromCodePoint(code) : whole
    })
    .replace(/\\u([0-9a-f]{4})|\\([ntr/])/gi, (_, unicode, short) =>
      unicode
        ? String.fromCharCode(Number.parseInt(unicode, 16))
        : (({ n: '\n', t: '\t', r: '\r', '/': '/' } as Record<string, string>)[short] ?? short),
    )
}

/**
 * Where `value` stands as a whole value of the page: no letter or digit glued to either end, and
 * where it starts or ends with plain white space (which any page has around words), a quote, a
 * tag or `=` on that side, so `alice (…)` is not taken for the look-alike `alice `.
 */
function wholeValueSpans(page: string, value: string): [number, number][] {
  const spans: [number, number][] = []
  const delimiter = /["'<>=]/
  for (let at = page.indexOf(value); at !== -1; at = page.indexOf(value, at + 1)) {
    const before = page[at - 1]
    const after = page[at + value.length]
    const glued = (char: string | undefined) => char !== undefined && /[\p{L}\p{N}_]/u.test(char)
    if (glued(before) || glued(after)) continue
    const edge = (char: string | undefined, neighbour: string | undefined) =>
      !/^[ \t\r\n]$/.test(char ?? '') || neighbour === undefined || delimiter.test(neighbour)
    if (!edge(value[0], before) || !edge(value.at(-1), after)) continue
    spans.push([at, at + value.length])
  }
  return spans
}

/** `value` as a word: not part of a longer name, a scoped attribute (`alice@…`) or a host. */
function wordPattern(value: string): RegExp {
  const escaped = value.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')
  return new RegExp(
    `(?<![\\p{L}\\p{N}_.@-])${escaped}(?![\\p{L}\\p{N}_@-]|\\.[\\p{L}\\p{N}])`,
    'gu',
  )
}

/** Every character outside printable ASCII as \uXXXX, so the report line shows what was sent. */
function escapeInvisible(value: string): string {
  return value.replace(
    /[^\x21-\x7e]/g,
    (char) => `\\u${char.charCodeAt(0).toString(16).padStart(4, '0')}`,
  )
}

function safeQuery(url: string): URLSearchParams {
  try {
    return new URL(url).searchParams
  } catch {
    return new URLSearchParams()
  }
}
