/**
 * The known name closest to a mistyped one, for "did you mean …?" hints on unknown CLI flags,
 * configuration keys and scenario steps; undefined when nothing is close. Close means an edit
 * distance (insert, delete, substitute, swap two neighbours) of at most a third of the longer
 * name, at least 1, ignoring case.
 */
export function closestName(input: string, known: readonly string[]): string | undefined {
  const typed = input.toLowerCase()
  let best: { name: string; distance: number } | undefined
  for (const name of known) {
    const distance = editDistance(typed, name.toLowerCase())
    const allowed = Math.max(1, Math.floor(Math.max(typed.length, name.length) / 3))
    if (distance <= allowed && (best === undefined || distance < best.distance)) {
      best = { name, distance }
    }
  }
  return best?.name
}

/** `; did you mean "x"?` when a known name is close, else the empty string. */
export function didYouMean(input: string, known: readonly string[], quote = '"'): string {
  const name = closestName(input, known)
  return name === undefined ? '' : `; did you mean ${quote}${name}${quote}?`
}

/** Optimal string alignment distance (Damerau–Levenshtein without repeated edits of a span). */
function editDistance(a: string, b: string): number {
  const rows = Array.from({ length: a.length + 1 }, (_, i) =>
    Array.from({ length: b.length + 1 }, (_, j) => (i === 0 ? j : j === 0 ? i : 0)),
  )
  const at = (i: number, j: number) => rows[i]?.[j] ?? Number.POSITIVE_INFINITY
  for (let i = 1; i <= a.length; i++) {
    const row = rows[i] as number[]
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1
      let distance = Math.min(at(i - 1, j) + 1, at(i, j - 1) + 1, at(i - 1, j - 1) + cost)
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) {
        distance = Math.min(distance, at(i - 2, j - 2) + 1)
      }
      row[j] = distance
    }
  }
  return at(a.length, b.length)
}
