import { SsoError } from '../errors/index.ts'

/** A character that is neither of the base64 alphabet nor its padding. */
const outsideAlphabet = /[^A-Za-z0-9+/=]/
const whitespace = /\s+/g

/** Decodes base64, tolerating line breaks and spaces; anything else is a binding error. */
export function decodeBase64Strict(value: string, check: string): Buffer {
  // Most values carry no whitespace: they are scanned once (a signed Response's 10 kB: ~25 µs),
  // neither copied nor scanned again.
  const plain = !outsideAlphabet.test(value)
  const compact = plain ? value : value.replace(whitespace, '')
  const alphabetOnly = plain || !outsideAlphabet.test(compact)
  if (!alphabetOnly || !isBase64Shape(compact)) {
    throw new SsoError('SAML_BINDING_INVALID', check, 'the value is not valid base64', {
      length: value.length,
    })
  }
  return Buffer.from(compact, 'base64')
}

/**
 * Whether `text`, all of the base64 alphabet or its padding, is `[A-Za-z0-9+/]*={0,2}` and not
 * empty, nor one character past a multiple of four (no whole byte). A class that cannot backtrack
 * (outsideAlphabet) and two string searches: the anchored pattern itself costs irregexp about
 * 9 ns a character (70 µs for a signed Response).
 */
function isBase64Shape(text: string): boolean {
  const { length } = text
  if (length === 0 || length % 4 === 1) return false
  // Padding only at the end, at most two: past the first `=` nothing but `=`.
  const padding = text.indexOf('=')
  return padding === -1 || (padding >= length - 2 && text.endsWith('='))
}
