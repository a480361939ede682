import { OAuth2Server } from 'oauth2-mock-server'
import type { WorldKeys } from '../../../harness/engine/world.ts'
import { createPair } from '../../../harness/pair.ts'
import { createSp } from '../../../sp/create-sp.tsx'
import { createInProcessPair, idpUrl, spUrl } from '../../../tests/fixtures/in-process.ts'
import type { BenchContext } from '../bench-context.ts'
import { type Figure, figure } from '../bench-report.ts'
import { listenLoopback } from '../listen-loopback.ts'
import { LoopbackConnections, signInOverLoopback } from '../loopback-visitor.ts'
import { measureRates } from '../measure.ts'
import { signInVisitor } from '../visitor.ts'
import { rsaJobs } from './crypto-limits.ts'

/**
 * Figure 4: a full OpenID Connect code flow with PKCE — SP /login, authorize, the login form,
 * the callback, token (ID token signed and verified), userinfo, the SP session — by a new
 * visitor each time. In-process (no sockets) beside the crypto it cannot avoid (one RS256 sign
 * and one verify); over loopback HTTP beside the same reference SP signing in at
 * oauth2-mock-server, which answers authorize without a login form, by figure 7's visitor
 * (`loopback-visitor.ts`: every hop a browser makes, without fetch or an HTML parser).
 */
export async function oidcFlow(ctx: BenchContext): Promise<Figure[]> {
  return [await inProcess(ctx), await overLoopback(ctx)]
}

async function inProcess(ctx: BenchContext): Promise<Figure> {
  const { idp, sp } = await createInProcessPair({
    protocol: 'oidc',
    idpCredential: ctx.keys.idp,
    spCredential: ctx.keys.sp,
  })
  const origins = { [idpUrl]: idp.app.fetch, [spUrl]: sp.app.fetch }
  const rsa = rsaJobs(ctx.keys.idp.privateKey, ctx.keys.idp.publicKey)
  try {
    const rates = await measureRates(
      {
        flow: () => signInVisitor(spUrl, { origins }),
        crypto: () => {
          rsa.sign()
          rsa.verify()
        },
      },
      ctx.budget,
    )
    return figure({
      id: 'oidc-in-process',
      item: 4,
      title: 'OIDC code flow, in-process (IdP + SP)',
      value: rates.flow.perSecond,
      unit: 'sign-ins/s',
      higherIsBetter: true,
      comparison: {
        kind: 'limit',
        name: 'one RS256 sign + verify',
        value: rates.crypto.perSecond,
        unit: 'sign-ins/s',
      },
      note: `new visitor each; p99 ${rates.flow.p99Ms.toFixed(1)} ms`,
      details: { meanMs: rates.flow.meanMs, p99Ms: rates.flow.p99Ms, runs: rates.flow.runs },
    })
  } finally {
    sp.close()
  }
}

/** Figure 4's loopback setup: one sign-in of each side, and how to close it all. */
export interface LoopbackFlows {
  ssoproof: () => Promise<unknown>
  peer: () => Promise<unknown>
  idpUrl: string
  spUrl: string
  peerUrl: string
  peerSpUrl: string
  close: () => Promise<void>
}

/**
 * ssoproof's IdP and SP on loopback ports, and the same SP (another instance) signing in at
 * oauth2-mock-server on a loopback port; a new visitor per sign-in: `visitor.ts` (`general`:
 * fetch, node-html-parser, tough-cookie) or figure 7's `loopback-visitor.ts` (`lean`).
 */
export async function loopbackFlows(
  keys: WorldKeys,
  visitor: 'general' | 'lean' = 'general',
): Promise<LoopbackFlows> {
  const connections = new LoopbackConnections()
  const visit = (url: string) =>
    visitor === 'lean' ? signInOverLoopback(url, { connections }) : signInVisitor(url)
  const idpServer = await listenLoopback()
  const spServer = await listenLoopback()
  const peerSpServer = await listenLoopback()
  const peer = new OAuth2Server()
  const { idp, sp } = createPair({
    idpBaseUrl: idpServer.url,
    spBaseUrl: spServer.url,
    idpCredential: keys.idp,
    spCredential: keys.sp,
    protocol: 'oidc',
    log: () => {},
  })
  idpServer.handle(idp.app.fetch)
  spServer.handle(sp.app.fetch)
  await peer.issuer.keys.generate('RS256')
  await peer.start(0, '127.0.0.1')
  const peerSp = createSp({
    baseUrl: peerSpServer.url,
    credential: keys.sp,
    protocol: 'oidc',
    oidc: {
      issuer: peer.issuer.url ?? '',
      clientId: 'ssoproof-sp',
      clientSecret: 'ssoproof-sp-secret',
      scope: 'openid profile',
    },
    log: () => {},
  })
  peerSpServer.handle(peerSp.app.fetch)
  return {
    ssoproof: () => visit(spServer.url),
    peer: () => visit(peerSpServer.url),
    idpUrl: idpServer.url,
    spUrl: spServer.url,
    peerUrl: peer.issuer.url ?? '',
    peerSpUrl: peerSpServer.url,
    close: async () => {
      await Promise.all([idpServer.close(), spServer.close(), peerSpServer.close(), peer.stop()])
      sp.close()
      peerSp.close()
      connections.destroy()
    },
  }
}

async function overLoopback(ctx: BenchContext): Promise<Figure> {
  // Figure 7's visitor: what a sign-in costs the bench's own browser (fetch, an HTML parser,
  // tough-cookie: some 4 of a flow's 15 ms of CPU) is neither server's, and would hide them.
  const flows = await loopbackFlows(ctx.keys, 'lean')
  try {
    const rates = await measureRates(
      {
        ssoproof: flows.ssoproof,
        peer: flows.peer,
      },
      ctx.budget,
    )
    return figure(
      {
        id: 'oidc-loopback',
        item: 4,
        title: 'OIDC code flow over loopback HTTP',
        value: rates.ssoproof.perSecond,
        unit: 'sign-ins/s',
        higherIsBetter: true,
        comparison: {
          kind: 'peer',
          name: 'oauth2-mock-server, same SP',
          value: rates.peer.perSecond,
          unit: 'sign-ins/s',
        },
        note: `ours shows a login form, the peer none; p99 ${rates.ssoproof.p99Ms.toFixed(1)} vs ${rates.peer.p99Ms.toFixed(1)} ms`,
        details: {
          meanMs: rates.ssoproof.meanMs,
          p99Ms: rates.ssoproof.p99Ms,
          runs: rates.ssoproof.runs,
          peerMeanMs: rates.peer.meanMs,
          peerP99Ms: rates.peer.p99Ms,
          peerRuns: rates.peer.runs,
        },
      },
      { text: 'ratio ≥ 1.0', met: (ratio) => (ratio ?? 0) >= 1 },
    )
  } finally {
    await flows.close()
  }
}
