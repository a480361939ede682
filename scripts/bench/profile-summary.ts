// Reads a V8 CPU profile (`node --cpu-prof`) and prints where the time went: by area (an npm
// package, a project folder, node internals, GC, idle), then the functions with the most self
// time and the project functions with the most total time.
// Usage: npx tsx scripts/bench/profile-summary.ts FILE.cpuprofile [--top N]
import { readFileSync } from 'node:fs'
import { parseArgs } from 'node:util'

interface ProfileNode {
  id: number
  callFrame: { functionName: string; url: string; lineNumber: number }
  children?: number[]
}

interface CpuProfile {
  nodes: ProfileNode[]
  samples: number[]
  timeDeltas: number[]
}

/** Self and total time (µs) per key, from one profile. */
export function summarizeProfile(profile: CpuProfile) {
  const byId = new Map(profile.nodes.map((node) => [node.id, node]))
  const parentOf = new Map<number, number>()
  for (const node of profile.nodes)
    for (const child of node.children ?? []) parentOf.set(child, node.id)
  const selfByNode = new Map<number, number>()
  let total = 0
  profile.samples.forEach((id, index) => {
    const delta = profile.timeDeltas[index] ?? 0
    selfByNode.set(id, (selfByNode.get(id) ?? 0) + delta)
    total += delta
  })
  const self = new Map<string, number>()
  const inclusive = new Map<string, number>()
  const areas = new Map<string, number>()
  for (const [id, time] of selfByNode) {
    const node = byId.get(id)
    if (!node) continue
    add(self, functionKey(node), time)
    add(areas, areaOf(node), time)
    const seen = new Set<string>()
    for (let at: number | undefined = id; at !== undefined; at = parentOf.get(at)) {
      const frame = byId.get(at)
      if (!frame) break
      const key = functionKey(frame)
      if (!seen.has(key) && isProject(frame)) add(inclusive, key, time)
      seen.add(key)
    }
  }
  return { total, self, inclusive, areas }
}

function add(map: Map<string, number>, key: string, time: number) {
  map.set(key, (map.get(key) ?? 0) + time)
}

function isProject(node: ProfileNode): boolean {
  return node.callFrame.url.startsWith('file://') && !node.callFrame.url.includes('/node_modules/')
}

function functionKey(node: ProfileNode): string {
  const { functionName, url, lineNumber } = node.callFrame
  return `${functionName || '(anonymous)'} ${shortUrl(url)}:${lineNumber + 1}`
}

function shortUrl(url: string): string {
  const modules = url.lastIndexOf('/node_modules/')
  if (modules >= 0) return url.slice(modules + '/node_modules/'.length)
  const root = new URL('../../', import.meta.url).href
  return url.startsWith(root) ? url.slice(root.length) : url
}

/** An npm package, a project folder (`core/xmldsig`), `node:*`, or V8's own (GC, idle, program). */
function areaOf(node: ProfileNode): string {
  const { url, functionName } = node.callFrame
  if (url === '') return `(${functionName.replace(/[()]/g, '') || 'native'})`
  if (url.startsWith('node:')) return 'node internals'
  const modules = url.lastIndexOf('/node_modules/')
  if (modules >= 0) {
    const parts = url.slice(modules + '/node_modules/'.length).split('/')
    return parts[0]?.startsWith('@') ? `${parts[0]}/${parts[1]}` : (parts[0] ?? url)
  }
  return shortUrl(url).split('/').slice(0, 2).join('/')
}

function top(map: Map<string, number>, total: number, count: number): string[] {
  return [...map]
    .sort((a, b) => b[1] - a[1])
    .slice(0, count)
    .map(([key, time]) => `  ${((100 * time) / total).toFixed(1).padStart(5)}%  ${key}`)
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const { values, positionals } = parseArgs({
    allowPositionals: true,
    options: { top: { type: 'string', default: '15' } },
  })
  const count = Number(values.top)
  for (const file of positionals) {
    const summary = summarizeProfile(JSON.parse(readFileSync(file, 'utf8')) as CpuProfile)
    process.stdout.write(
      [
        `${file}: ${(summary.total / 1e6).toFixed(1)} s sampled`,
        'by area (self time):',
        ...top(summary.areas, summary.total, count),
        'functions (self time):',
        ...top(summary.self, summary.total, count),
        'project functions (total time):',
        ...top(summary.inclusive, summary.total, count),
        '',
      ].join('\n'),
    )
  }
}
