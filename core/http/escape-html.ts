// The JSX renderer's escaping of text and attribute values (hono's escapeToBuffer), for HTML a
// page writes as raw text around what JSX renders: the same five characters, the same entities.
const htmlSpecials = /[&<>'"]/g
const htmlEntities: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  "'": '&#39;',
  '"': '&quot;',
}

/** `value` with & < > ' " written as hono/jsx writes them; itself when none occurs. */
export function escapeHtml(value: string): string {
  htmlSpecials.lastIndex = 0
  return htmlSpecials.test(value)
    ? value.replace(htmlSpecials, (special) => htmlEntities[special] ?? special)
    : value
}
