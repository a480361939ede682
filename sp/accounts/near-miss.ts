/**
 * Data-mapping near misses: attributes the IdP sent under another name than the one a mapping
 * expects, yet plainly the same — the FriendlyName equals the mapped name (`mail` for
 * `urn:oid:0.9.2342.19200300.100.1.3`), only the case differs, or both end in the same last URI
 * or URN segment (`…/claims/emailaddress` for `emailaddress`). OID arcs are numbers and never
 * match by themselves. Hints only: nothing is mapped by guess.
 */
export function nearMisses(
  mapped: string,
  sent: readonly string[],
  friendlyNames: Readonly<Record<string, string>> = {},
): string[] {
  const wanted = mapped.toLowerCase()
  const wantedTail = lastSegment(mapped)
  return sent.filter(
    (name) =>
      name !== mapped &&
      ((Object.hasOwn(friendlyNames, name) && friendlyNames[name]?.toLowerCase() === wanted) ||
        (wantedTail !== undefined && lastSegment(name) === wantedTail)),
  )
}

/** The last segment of a URI, URN or name, lower-cased; undefined when it holds no letter. */
function lastSegment(name: string): string | undefined {
  const tail = (
    name
      .split(/[/:#]/)
      .filter((part) => part !== '')
      .at(-1) ?? name
  ).toLowerCase()
  return /\p{L}/u.test(tail) ? tail : undefined
}
