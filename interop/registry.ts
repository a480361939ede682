import { xmlsec1Cells } from './cells/xmlsec1.ts'
import type { LabRegistry } from './lab/runner.ts'
import { ssoproofPeer } from './peers/ssoproof/peer.ts'
import { xmlsec1Peer } from './peers/xmlsec1/peer.ts'

/** Every peer and cell of the lab, in matrix order. Add yours here. */
export const registry: LabRegistry = {
  peers: [ssoproofPeer, xmlsec1Peer],
  cells: [...xmlsec1Cells],
}
