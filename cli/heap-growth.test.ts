import { execFile } from 'node:child_process'
import { fileURLToPath } from 'node:url'
import { promisify } from 'node:util'
import { describe, expect, it } from 'vitest'

const run = promisify(execFile)
const module = fileURLToPath(new URL('./heap-growth.ts', import.meta.url))

/**
 * A fresh Node that keeps ~60 MB live while objects that outlive several scavenges (so reach the
 * old generation) die there, as a server's requests under load do; prints the largest heap V8
 * reserved meanwhile, MB. With `bound`, it first calls boundHeapGrowth.
 */
async function peakHeapMb(bound: boolean): Promise<number> {
  const script = `
    import { boundHeapGrowth } from ${JSON.stringify(module)}
    if (${bound}) boundHeapGrowth()
    const live = Array.from({ length: 20_000 }, (_, i) => ({ i, text: 'x'.repeat(1000) + i }))
    const ring = new Array(60_000)
    let peak = 0
    for (let i = 0; i < 600_000; i++) {
      ring[i % ring.length] = { i, text: ('y' + i).repeat(100) }
      if (i % 1000 === 0) peak = Math.max(peak, process.memoryUsage().heapTotal)
    }
    console.log(JSON.stringify({ peak, kept: live.length + ring.length }))
  `
  const { stdout } = await run(
    process.execPath,
    ['--import', 'tsx', '--input-type=module', '-e', script],
    { timeout: 120_000 },
  )
  const { peak } = JSON.parse(stdout) as { peak: number }
  return peak / 1024 / 1024
}

describe('boundHeapGrowth', () => {
  it('keeps the old generation near what survives instead of letting V8 grow it 3–4×', async () => {
    const unbounded = await peakHeapMb(false)
    const bounded = await peakHeapMb(true)
    // Measured: 169–185 MB without, 99 MB with (≈60 MB live).
    expect(unbounded).toBeGreaterThan(140)
    expect(bounded).toBeLessThan(130)
  }, 300_000)
})
