import { describe, expect, it } from 'vitest'
import { batchedLog } from './batched-log.ts'

describe('batchedLog', () => {
  it('writes nothing inside the turn that logs, then every line of it in one write', async () => {
    const writes: string[] = []
    const { log } = batchedLog((text) => writes.push(text))
    log('first')
    log('second')
    expect(writes).toEqual([])
    await new Promise((done) => setImmediate(done))
    expect(writes).toEqual(['first\nsecond\n'])
    log('third')
    await new Promise((done) => setImmediate(done))
    expect(writes).toEqual(['first\nsecond\n', 'third\n'])
  })

  it('flush writes what waits at once, and nothing twice', async () => {
    const writes: string[] = []
    const { log, flush } = batchedLog((text) => writes.push(text))
    log('last words')
    flush()
    expect(writes).toEqual(['last words\n'])
    await new Promise((done) => setImmediate(done))
    flush()
    expect(writes).toEqual(['last words\n'])
  })
})
