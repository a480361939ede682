import { describe, expect, it } from 'vitest'
import { createManualClock } from '../../core/clock/index.ts'
import { tokenKey } from '../../core/store/token-key.ts'
import { openSpDatabase } from '../store/database.ts'
import { storedPendingRequests } from './pending-requests.ts'

function setup() {
  const db = openSpDatabase()
  const clock = createManualClock('2030-01-01T00:00:00Z')
  const pending = storedPendingRequests(db, 'default:pending-requests', clock)
  const rows = () =>
    db
      .prepare<[], { key: string; value: string }>(
        "SELECT key, value FROM expiring_small WHERE namespace LIKE 'default:pending-requests%'",
      )
      .all()
  const request = { id: '_r1', returnPath: '/account', expiresAt: clock.now() + 60_000 }
  return { clock, pending, rows, request }
}

describe('pending AuthnRequests', () => {
  it('are found by the cookie of the browser that started them, and by no other', () => {
    const { pending, request } = setup()
    pending.add(request, 'browser-a')
    pending.add({ ...request, id: '_r2', returnPath: '/b' }, 'browser-b')
    expect(pending.ofBrowser('browser-a')).toEqual(request)
    expect(pending.ofBrowser('browser-b')?.id).toBe('_r2')
    expect(pending.ofBrowser('browser-c')).toBeUndefined()
    expect(pending.ofBrowser(undefined)).toBeUndefined()
  })

  it('are one row each, under the digest of the cookie, which is not kept', () => {
    const { pending, rows, request } = setup()
    pending.add(request, 'browser-a')
    expect(rows()).toEqual([{ key: tokenKey('browser-a'), value: JSON.stringify(request) }])
  })

  it('end when consumed by their browser, or when they expire', () => {
    const { clock, pending, request } = setup()
    pending.add(request, 'browser-a')
    pending.add(request, 'browser-b')
    pending.consume('browser-a')
    pending.consume(undefined)
    expect(pending.ofBrowser('browser-a')).toBeUndefined()
    expect(pending.ofBrowser('browser-b')).toEqual(request)
    clock.advance(60_000)
    expect(pending.ofBrowser('browser-b')).toBeUndefined()
  })
})
