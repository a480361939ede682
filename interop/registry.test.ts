import { describe, expect, it } from 'vitest'
import { cellId } from './lab/types.ts'
import { registry } from './registry.ts'

describe('the interop lab registry', () => {
  it('gives every peer its own id and its own loopback ports', () => {
    const ids = registry.peers.map((peer) => peer.id)
    expect(new Set(ids).size).toBe(ids.length)
    const taken = new Map<number, string>()
    const clashes: string[] = []
    for (const peer of registry.peers) {
      for (let offset = peer.portOffset; offset < peer.portOffset + peer.portCount; offset++) {
        const owner = taken.get(offset)
        if (owner) clashes.push(`port offset ${offset}: ${owner} and ${peer.id}`)
        taken.set(offset, peer.id)
      }
    }
    expect(clashes).toEqual([])
  })

  it('names each cell once, and every peer a cell drives or needs is registered', () => {
    const ids = registry.cells.map(cellId)
    expect(ids.filter((id, i) => ids.indexOf(id) !== i)).toEqual([])
    const registered = new Set(registry.peers)
    const missing = registry.cells.flatMap((cell) =>
      cell.peers
        .flatMap((peer) => [peer, ...peer.needs])
        .filter((peer) => !registered.has(peer))
        .map((peer) => `${cellId(cell)} needs ${peer.id}`),
    )
    expect(missing).toEqual([])
  })
})
