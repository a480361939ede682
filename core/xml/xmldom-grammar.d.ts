/**
 * The part of @xmldom/xmldom 0.9's grammar module (lib/grammar.js, which ships no types) that
 * core/xml/grammar-memo.ts replaces: `reg` joins RegExps and strings into one new RegExp.
 */
declare module '@xmldom/xmldom/lib/grammar.js' {
  const grammar: {
    reg: (this: unknown, ...parts: (RegExp | string)[]) => RegExp
    [name: string]: unknown
  }
  export default grammar
}
