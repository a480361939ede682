import { multiSpCells } from './cells/multi-sp-logout.ts'
import { referenceSpCells, referenceSpPeers } from './cells/reference-sp.ts'
import { shibbolethCells } from './cells/shibboleth.ts'
import { simpleSamlCells } from './cells/simplesamlphp.ts'
import { xmlsec1Cells } from './cells/xmlsec1.ts'
import type { LabRegistry } from './lab/runner.ts'
import { shibbolethPeer } from './peers/shibboleth/peer.ts'
import { simpleSamlPeer } from './peers/simplesamlphp/peer.ts'
import { ssoproofPeer, ssoproofTlsPeer } from './peers/ssoproof/peer.ts'
import { xmlsec1Peer } from './peers/xmlsec1/peer.ts'

/** Every peer and cell of the lab, in matrix order. Add yours here. */
export const registry: LabRegistry = {
  peers: [
    ssoproofPeer,
    ssoproofTlsPeer,
    shibbolethPeer,
    simpleSamlPeer,
    xmlsec1Peer,
    ...referenceSpPeers,
  ],
  cells: [
    ...shibbolethCells,
    ...simpleSamlCells,
    ...multiSpCells,
    ...xmlsec1Cells,
    ...referenceSpCells,
  ],
}
