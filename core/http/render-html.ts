import type { JSX } from 'hono/jsx/jsx-runtime'
import {
  type HtmlEscapedString,
  raw,
  resolveCallbackSync,
  type StringBufferWithCallbacks,
  stringBufferToString,
} from 'hono/utils/html'

/** What hono/jsx's nodes are at run time: they write themselves into a string buffer. */
interface BufferRendered {
  toStringToBuffer(buffer: StringBufferWithCallbacks): void
}

/**
 * A page's JSX as HTML text, for `c.html(...)`: the same text hono/jsx's own `toString()` gives
 * (render-html.test.tsx compares them), without the AsyncLocalStorage hono 4.13 runs every render
 * in. On Node.js 20 the first `AsyncLocalStorage.run` switches on async_hooks' promise hooks for
 * the thread for good: every promise after it — every request, every `await` — pays a JavaScript
 * hook (≈ 2.5% of `serve`'s CPU per sign-in, issue 22). Our pages are synchronous and use no
 * context, so nothing needs that storage. A page that does render asynchronously (an async
 * component) is finished here without it: its text is the same; context read after an `await`
 * in it gives the default, as hono/jsx does on runtimes without AsyncLocalStorage.
 */
export function renderHtml(page: JSX.Element): string | Promise<HtmlEscapedString> {
  const node = page as unknown as Partial<BufferRendered>
  if (typeof node.toStringToBuffer !== 'function') return page.toString() as string
  // hono adds `callbacks` when something renders with one (none of our pages do).
  const buffer = [''] as unknown as StringBufferWithCallbacks
  node.toStringToBuffer(buffer)
  if (buffer.length > 1) return stringBufferToString(buffer, buffer.callbacks)
  const text = buffer[0] as string
  return buffer.callbacks ? resolveCallbackSync(raw(text, buffer.callbacks)) : text
}
