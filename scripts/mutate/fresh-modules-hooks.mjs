// Module hooks of a mutant worker (scripts/mutate/mutant-worker.mjs): they let one long-lived
// process load a mutated file, and every module that imports it directly or not, afresh for each
// mutant while the rest of the module graph stays loaded. The first load records who imports
// whom; `stale(generation, file)` then gives that file and its importers a `?mutant=<generation>`
// URL, which Node treats as a module of its own.
/** @type {Map<string, Set<string>>} module URL → the URLs of the modules importing it */
const importers = new Map()
/** @type {Set<string>} */
let stale = new Set()
let generation = 0
/** @type {Set<string>} mutated files loaded in this generation */
const loaded = new Set()
let root = ''

/** @param {{ root: string, port: import('node:worker_threads').MessagePort }} data */
export function initialize(data) {
  root = data.root
  data.port.on('message', (message) => {
    if (message.type === 'stale') {
      generation = message.generation
      stale = withImporters(message.url)
      loaded.clear()
      data.port.postMessage({ type: 'stale', generation, modules: stale.size })
    } else if (message.type === 'loaded') {
      data.port.postMessage({ type: 'loaded', generation, loaded: loaded.has(message.url) })
    }
  })
}

/** @param {string} url */
function withImporters(url) {
  const found = new Set([url])
  const queue = [url]
  for (let next = queue.pop(); next !== undefined; next = queue.pop()) {
    for (const parent of importers.get(next) ?? []) {
      if (found.has(parent)) continue
      found.add(parent)
      queue.push(parent)
    }
  }
  return found
}

/** @param {string} url */
const plain = (url) => url.split('?')[0] ?? url
/** @param {string} url */
const ours = (url) => url.startsWith(root) && !url.includes('/node_modules/')

export async function resolve(specifier, context, nextResolve) {
  const result = await nextResolve(specifier, context)
  if (!ours(result.url)) return result
  const url = plain(result.url)
  if (context.parentURL !== undefined && ours(context.parentURL)) {
    const parent = plain(context.parentURL)
    const set = importers.get(url) ?? new Set()
    set.add(parent)
    importers.set(url, set)
  }
  if (generation === 0 || !stale.has(url)) return { ...result, url }
  return { ...result, url: `${url}?mutant=${generation}` }
}

export async function load(url, context, nextLoad) {
  if (generation > 0 && url.endsWith(`?mutant=${generation}`)) loaded.add(plain(url))
  return nextLoad(url, context)
}
