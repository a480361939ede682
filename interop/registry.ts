import { attackCells } from './cells/attack.ts'
import { modAuthOpenidcCells } from './cells/mod-auth-openidc.ts'
import { multiSpCells } from './cells/multi-sp-logout.ts'
import { oidcProviderCells } from './cells/oidc-provider.ts'
import { oidcRpCells } from './cells/oidc-rp.ts'
import { type PythonSpFlow, pythonSpCells } from './cells/python-sp.ts'
import { referenceSpCells, referenceSpPeers } from './cells/reference-sp.ts'
import { shibbolethCells } from './cells/shibboleth.ts'
import { simpleSamlCells } from './cells/simplesamlphp.ts'
import { xmlsec1Cells } from './cells/xmlsec1.ts'
import type { LabRegistry } from './lab/runner.ts'
import { modAuthOpenidcPeer } from './peers/mod-auth-openidc/peer.ts'
import { oidcProviderPeer } from './peers/oidc-provider/peer.ts'
import { authlibPeer, oauth4webapiPeer, openidClientPeer } from './peers/oidc-rp/peers.ts'
import {
  lassoPeer,
  pysaml2LaxPeer,
  pysaml2Peer,
  pysaml2UnsignedPeer,
  python3SamlPeer,
} from './peers/python-sp/peer.ts'
import { shibbolethPeer } from './peers/shibboleth/peer.ts'
import { simpleSamlPeer } from './peers/simplesamlphp/peer.ts'
import { ssoproofPeer, ssoproofTlsPeer } from './peers/ssoproof/peer.ts'
import { xmlsec1Peer } from './peers/xmlsec1/peer.ts'

/** Every peer and cell of the lab, in matrix order. Add yours here. */
/** What a strict Python SP library is driven through (interop/cells/python-sp.ts). */
const pythonSpFlows: PythonSpFlow[] = [
  'post',
  'artifact',
  'encrypted',
  'slo-sp',
  'slo-idp',
  'nameid-persistent',
  'nameid-transient',
  'nameid-email',
]

export const registry: LabRegistry = {
  peers: [
    ssoproofPeer,
    ssoproofTlsPeer,
    shibbolethPeer,
    simpleSamlPeer,
    pysaml2Peer,
    pysaml2LaxPeer,
    pysaml2UnsignedPeer,
    python3SamlPeer,
    lassoPeer,
    xmlsec1Peer,
    ...referenceSpPeers,
    modAuthOpenidcPeer,
    openidClientPeer,
    oauth4webapiPeer,
    authlibPeer,
    oidcProviderPeer,
  ],
  cells: [
    ...shibbolethCells,
    ...simpleSamlCells,
    ...pythonSpCells(pysaml2Peer, pythonSpFlows),
    ...pythonSpCells(pysaml2LaxPeer, ['post', 'idp-initiated']),
    ...pythonSpCells(pysaml2UnsignedPeer, ['post']),
    // python3-saml has no HTTP-Artifact binding.
    ...pythonSpCells(
      python3SamlPeer,
      pythonSpFlows.filter((flow) => flow !== 'artifact'),
    ),
    ...pythonSpCells(lassoPeer, [...pythonSpFlows, 'legacy-crypto']),
    ...multiSpCells,
    ...xmlsec1Cells,
    ...referenceSpCells,
    ...modAuthOpenidcCells,
    ...oidcRpCells,
    ...oidcProviderCells,
    // Last: thousands of forged messages must not leave state the flows above would meet.
    ...attackCells,
  ],
}
