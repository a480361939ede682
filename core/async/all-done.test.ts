import { describe, expect, it } from 'vitest'
import { allDone } from './all-done.ts'

describe('allDone', () => {
  it('gives every value in order when all succeed', async () => {
    await expect(allDone([Promise.resolve(1), Promise.resolve('two'), 3])).resolves.toEqual([
      1,
      'two',
      3,
    ])
  })

  it('rejects with the first failure only once the slower promises are done', async () => {
    let slowDone = false
    const slow = new Promise<void>((resolve) =>
      setTimeout(() => {
        slowDone = true
        resolve()
      }, 50),
    )
    const failing = Promise.reject(new Error('bad config'))
    await expect(allDone([slow, failing, Promise.reject(new Error('later'))])).rejects.toThrow(
      'bad config',
    )
    expect(slowDone).toBe(true)
  })
})
