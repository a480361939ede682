import type { CellDefinition } from '../lab/types.ts'
import { shibbolethPeer } from '../peers/shibboleth/peer.ts'
import { simpleSamlPeer } from '../peers/simplesamlphp/peer.ts'
import { ssoproofPeer } from '../peers/ssoproof/peer.ts'
import { pageJson, signInAtIdp } from './idp-login.ts'

interface Session {
  signedIn: boolean
}

/**
 * One browser signed in at Shibboleth, SimpleSAMLphp and the reference SP through one IdP
 * session; logging out at the reference SP must end all three (saml-profiles §4.4).
 */
const cell: CellDefinition = {
  flow: 'single-logout',
  title:
    'Single logout across Shibboleth, SimpleSAMLphp and the reference SP, started at the reference SP',
  peers: [shibbolethPeer, simpleSamlPeer],
  row: { id: 'multi-sp', title: 'Shibboleth + SimpleSAMLphp + reference SP' },
  async run(context) {
    const { observe } = context
    const shibboleth = context.env.peer(shibbolethPeer)
    const simplesaml = context.env.peer(simpleSamlPeer)
    const ssoproof = context.env.peer(ssoproofPeer)
    const browser = context.browser()
    const atShib = await signInAtIdp(
      browser,
      await browser.navigate(shibboleth.protectedPage),
      'alice',
    )
    observe.contains('Shibboleth: signed in', atShib.document.text, 'Shib-Session-ID=')
    const atSimple = pageJson<Session & { authenticated: boolean }>(
      await browser.navigate(simplesaml.page('post', 'login')),
    )
    observe.equal('SimpleSAMLphp: signed in without a login form', atSimple.authenticated, true)
    await browser.navigate(`${ssoproof.spUrl}/login`)
    const session = async () =>
      pageJson<Session>(await browser.request(`${ssoproof.spUrl}/api/session`)).signedIn
    observe.equal('reference SP: signed in without a login form', await session(), true)

    const home = await browser.navigate(`${ssoproof.spUrl}/`)
    const done = await browser.submit(home, 'form[action="/logout"]')
    observe.contains('reference SP after the logout', done.document.text, 'signed out')
    observe.equal('reference SP session', await session(), false)
    const simpleAfter = pageJson<{ authenticated: boolean }>(
      await browser.navigate(simplesaml.page('post', 'whoami')),
    )
    observe.equal('SimpleSAMLphp session', simpleAfter.authenticated, false)
    const shibAfter = await browser.navigate(shibboleth.protectedPage)
    observe.equal(
      'Shibboleth protected page',
      shibAfter.document.querySelector('#login-form') ? 'the IdP login form' : shibAfter.url,
      'the IdP login form',
    )
  },
}

export const multiSpCells = [cell]
