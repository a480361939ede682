import { DOMParser } from '@xmldom/xmldom'

type DomHandlerClass = new (options: unknown) => { endDocument(): void }

/** xmldom's own DOM builder: the class a DOMParser built without options keeps as `domHandler`. */
const XmldomBuilder = (new DOMParser() as unknown as { domHandler: unknown }).domHandler

/**
 * xmldom's DOM builder without the `normalize()` pass it runs over the whole tree at the end of
 * every document, a fifth of a parse: its SAX parser gives one text node per run of character
 * data between two markup items, never an empty one, so the pass has nothing to merge. parse.ts's
 * tree walk checks that on every message and normalizes whatever it finds otherwise.
 * undefined: this xmldom keeps its builder elsewhere, and it runs as it ships.
 */
export const unnormalizedBuilder: DomHandlerClass | undefined =
  typeof XmldomBuilder === 'function'
    ? class extends (XmldomBuilder as DomHandlerClass) {
        override endDocument(): void {}
      }
    : undefined
