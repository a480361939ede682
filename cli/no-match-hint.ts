import { closestName } from '../core/config/did-you-mean.ts'
import type { Scenario } from '../harness/engine/scenario-schema.ts'

/** How many scenario ids a hint lists before "…". */
const listed = 5

/**
 * Why `ssoproof run`'s filters selected nothing, with what they could have matched: for --grep
 * the closest id or run of id words ("sesion-expires" → "session-expires") and the scenarios it
 * names; for --tag the closest known tag.
 */
export function noMatchHint(
  scenarios: readonly Scenario[],
  filters: { grep?: string | undefined; tags: readonly string[] },
): string {
  const lines = [
    'no scenario matched; check the files and filters (or pass --pass-with-no-scenarios)',
  ]
  const ids = scenarios.map((scenario) => scenario.id)
  if (filters.grep !== undefined) {
    const close = closestName(filters.grep, idFragments(ids))
    const matching = close === undefined ? [] : ids.filter((id) => id.includes(close))
    lines.push(
      close === undefined
        ? `--grep "${filters.grep}" is not close to any of the ${ids.length} scenario ids (e.g. ${ids.slice(0, 3).join(', ')})`
        : `--grep "${filters.grep}": did you mean "${close}"? It matches ${namesOf(matching)}`,
    )
  }
  const knownTags = [...new Set(scenarios.flatMap((scenario) => scenario.tags))].sort()
  for (const tag of filters.tags.filter((tag) => !knownTags.includes(tag))) {
    const close = closestName(tag, knownTags)
    lines.push(
      `--tag "${tag}" is no scenario's tag${close === undefined ? `; tags: ${knownTags.join(', ')}` : `; did you mean "${close}"?`}`,
    )
  }
  return lines.join('\n')
}

/** Every id and every run of its dash-separated words: what a --grep is usually a piece of. */
function idFragments(ids: readonly string[]): string[] {
  const fragments = new Set<string>()
  for (const id of ids) {
    const words = id.split('-')
    for (let start = 0; start < words.length; start++) {
      for (let end = start + 1; end <= words.length; end++) {
        fragments.add(words.slice(start, end).join('-'))
      }
    }
  }
  return [...fragments].sort()
}

function namesOf(ids: readonly string[]): string {
  const shown = ids.slice(0, listed).join(', ')
  return ids.length > listed ? `${ids.length} scenarios: ${shown}, …` : shown
}
