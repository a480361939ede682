/** ANSI colour and cursor sequences (CSI), as tools print them into error messages. */
// biome-ignore lint/suspicious/noControlCharactersInRegex: a CSI sequence starts with ESC
const ansiSequence = /\u001b\[[0-9;?]*[ -/]*[@-~]/g

/**
 * Characters no report should carry: C0 and C1 controls but tab, line feed and carriage return,
 * lone surrogates and the non-characters U+FFFE and U+FFFF. Everything outside the XML 1.0 `Char`
 * production (XML 1.0 §2.2) is in this set, so the result is safe in JUnit XML.
 */
const controlChar = /(?![\t\n\r])\p{Cc}|\p{Cs}|[\ufffe\uffff]/gu

/** Removes ANSI escape sequences first, then every character of the set above. */
export function stripControlChars(text: string): string {
  return text.replace(ansiSequence, '').replace(controlChar, '')
}
