/**
 * What code run inside the browser (Playwright's `evaluate` callbacks) uses of the page's
 * globals. The project compiles without TypeScript's DOM library — Node code must not name
 * `document` or the browser's element types, which xmldom's own types stand for there — so an
 * in-page callback takes its globals from here: `const { document } = globalThis as unknown as
 * InPage`. Types only: a callback is serialised into the page and can call nothing imported.
 */
export interface InPageElement {
  id: string
  tagName: string
  textContent: string | null
  dataset: Record<string, string | undefined>
  getBoundingClientRect(): { right: number }
  appendChild(child: InPageElement): void
  querySelectorAll(selectors: string): Iterable<InPageElement>
}

export interface InPageForm extends InPageElement {
  method: string
  action: string
  submit(): void
}

export interface InPageInput extends InPageElement {
  type: string
  name: string
  value: string
}

export interface InPageImage extends InPageElement {
  naturalWidth: number
}

export interface InPageDocument {
  compatMode: string
  documentElement: InPageElement & { scrollWidth: number; clientWidth: number }
  body: InPageElement
  activeElement: InPageElement | null
  createElement(tag: 'form'): InPageForm
  createElement(tag: 'input'): InPageInput
  querySelector(selectors: string): InPageElement | null
}

export interface InPage {
  document: InPageDocument
  location: { href: string }
  getComputedStyle(element: InPageElement): { color: string; borderTopStyle: string }
}
