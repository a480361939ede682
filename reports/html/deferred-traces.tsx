import { gzipSync } from 'node:zlib'
import type { RunReport } from '../model.ts'
import { Exchanges } from './trace.tsx'

/**
 * The traces of passed results, out of the page: a whole catalogue's traces are most of its
 * report (2.8 of 4.6 MB for 289 runs) and nobody opens a passed one first. Each is rendered
 * here (escaped by JSX as everywhere), the list is gzipped into one base64 block, and the
 * report's script unpacks it with the browser's DecompressionStream when a trace is opened:
 * still one file that works offline from file://. Failed results keep theirs inline.
 */
export interface DeferredTraces {
  /** The packed number of a result's step trace, or undefined when it stays inline. */
  numberOf(resultIndex: number, stepIndex: number): number | undefined
  /** The base64 of the gzipped JSON array of rendered traces; '' when none is deferred. */
  packed: string
}

export function deferTraces(report: RunReport): DeferredTraces {
  const numbers = new Map<string, number>()
  const rendered: string[] = []
  report.scenarios.forEach((result, resultIndex) => {
    if (result.status === 'failed') return
    for (const step of result.steps) {
      if (step.trace.length === 0) continue
      numbers.set(`${resultIndex}:${step.index}`, rendered.length)
      rendered.push((<Exchanges trace={step.trace} open={false} />).toString())
    }
  })
  return {
    numberOf: (resultIndex, stepIndex) => numbers.get(`${resultIndex}:${stepIndex}`),
    packed:
      rendered.length === 0
        ? ''
        : gzipSync(JSON.stringify(rendered), { level: 9 }).toString('base64'),
  }
}

/** Unpacks the traces once, on the first trace opened, and fills each as it opens. */
export const traceScript = `
(() => {
  const data = document.getElementById('trace-data')
  if (!data) return
  let traces
  const load = () => traces ??= (async () => {
    const bytes = Uint8Array.from(atob(data.textContent.trim()), (c) => c.charCodeAt(0))
    const stream = new Blob([bytes]).stream().pipeThrough(new DecompressionStream('gzip'))
    return JSON.parse(await new Response(stream).text())
  })()
  document.addEventListener('toggle', async (event) => {
    const details = event.target
    if (!(details instanceof HTMLDetailsElement) || !details.open || !details.dataset.trace) return
    const body = details.querySelector(':scope > .trace-body')
    if (!body || body.dataset.loaded) return
    body.dataset.loaded = '1'
    body.innerHTML = (await load())[Number(details.dataset.trace)]
  }, true)
})()
`
