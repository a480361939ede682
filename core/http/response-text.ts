/**
 * The body of an answer as text, without turning it into a stream and back when it is still
 * the string it was made from. On a server, `@hono/node-server` makes answers as its light
 * Response, which keeps `[status, body, headers]` under a symbol named `cache` until something
 * asks for the stream; reading the string there leaves the answer untouched and usable as it is
 * (`text()` would build the WHATWG Response and consume it). Anything else — another Response,
 * a streamed body, a later version that keeps it otherwise — is read with `text()`, and
 * `consumed` says the caller must answer anew.
 */
export async function responseText(
  response: Response,
): Promise<{ text: string; consumed: boolean }> {
  const cached = lightBody(response)
  if (cached !== undefined && typeof cached.body === 'string') {
    return { text: cached.body, consumed: false }
  }
  return { text: await response.text(), consumed: true }
}

/**
 * The body a server's light Response (above) was made with, when it is still kept as made — a
 * string, bytes or none — so that it can be answered again without a stream; else undefined
 * (read `response.body`).
 */
export function lightBody(
  response: Response,
): { body: string | Uint8Array<ArrayBuffer> | null } | undefined {
  for (const symbol of Object.getOwnPropertySymbols(response)) {
    if (symbol.description !== 'cache') continue
    const cache = (response as unknown as Record<symbol, unknown>)[symbol]
    const body = Array.isArray(cache) ? cache[1] : undefined
    return body === null || typeof body === 'string' || body instanceof Uint8Array
      ? { body: body as string | Uint8Array<ArrayBuffer> | null }
      : undefined
  }
  return undefined
}
