import { parse } from 'node-html-parser'
import { fieldValue } from '../../sp/accounts/map-profile.ts'
import { mappingTargetSchema } from '../../sp/campaigns/settings.ts'
import { spSessionCookie } from '../../sp/session/sp-sessions.ts'
import { agentConsole, checkConversation, countContacts } from './agent-console.ts'
import { checkAgentSso, resetAgentPassword } from './agent-sso.ts'
import { type Driver, type PageState, StepFailure } from './drivers/driver.ts'
import type { Expectation, Step } from './scenario-schema.ts'
import type { World } from './world.ts'

/** The step in the scenario's words, for progress lines and reports. */
export function describeStep(step: Step): string {
  switch (step.kind) {
    case 'open':
      return `open ${step.arg}`
    case 'sign in':
      return step.arg.return_url !== undefined
        ? `sign in at the SP, return_url ${step.arg.return_url}`
        : 'sign in at the SP'
    case 'log in': {
      const user = typeof step.arg === 'string' ? step.arg : step.arg.user
      const withPassword =
        typeof step.arg === 'object' && step.arg.password !== undefined
          ? ' with a given password'
          : ''
      return `log in at the IdP as ${user}${withPassword}`
    }
    case 'cancel login':
      return 'cancel at the IdP login form'
    case 'idp-initiated sign in':
      return step.arg.RelayState !== undefined
        ? `start at the IdP (IdP-initiated), RelayState ${step.arg.RelayState}`
        : 'start at the IdP (IdP-initiated)'
    case 'advance time':
      return `advance time by ${formatDuration(step.arg)}`
    case 'log out':
      return 'log out at the SP'
    case 'log out at the idp':
      return 'sign out at the IdP (IdP-initiated logout)'
    case 'replay last response':
      return 'deliver the last SAML response, artifact or token callback to the SP again'
    case 'restart sp':
      return 'restart the SP'
    case 'update idp user':
      return `change the IdP's user ${step.arg.id}`
    case 'open messenger':
      return 'open the messenger'
    case 'choose sign in':
      return 'choose "Sign in" in the chat window'
    case 'chat as visitor':
      return 'choose "Chat as visitor"'
    case 'fill survey':
      return `fill in the pre-chat survey (${Object.keys(step.arg).join(', ') || 'nothing'})`
    case 'send message':
      return `send the message "${clip(step.arg, 60)}"`
    case 'end conversation':
      return 'end the conversation from the chat window'
    case 'log out from the messenger':
      return 'sign out from the chat window'
    case 'choose username':
      return `choose the username ${step.arg}`
    case 'agent replies':
      return `the agent replies "${clip(step.arg, 60)}"`
    case 'agent sends sign-in request':
      return 'the agent sends a sign-in request'
    case 'agent ends conversation':
      return 'the agent ends the conversation'
    case 'agent signs in':
      return step.arg.site !== undefined
        ? `the agent opens the agent login for site ${step.arg.site}`
        : 'the agent opens the agent login'
    case 'agent enters site id':
      return `the agent enters the site ID ${step.arg}`
    case 'agent logs in with password':
      return `the agent ${step.arg['login name']} logs in to site ${step.arg.site} with a password`
    case 'agent logs out':
      return 'the agent signs out of the agent console'
    case 'admin resets agent password':
      return `an administrator resets the password of agent ${step.arg['login name']} of site ${step.arg.site}`
    case 'expect':
      return `expect ${describeExpectation(step.arg)}`
  }
}

function describeExpectation(expectation: Expectation): string {
  return Object.entries(expectation)
    .map(
      ([key, value]) =>
        `${key} ${typeof value === 'object' ? JSON.stringify(value) : String(value)}`,
    )
    .join(', ')
}

export async function runStep(step: Step, world: World, driver: Driver): Promise<void> {
  switch (step.kind) {
    case 'open':
      return driver.goto(new URL(step.arg, world.spUrl).toString())
    case 'sign in': {
      const url = new URL('/login', world.spUrl)
      if (step.arg.return_url !== undefined) url.searchParams.set('return_url', step.arg.return_url)
      return driver.goto(url.toString())
    }
    case 'log in': {
      const userId = typeof step.arg === 'string' ? step.arg : step.arg.user
      const given = typeof step.arg === 'object' ? step.arg.password : undefined
      const password = given ?? world.idp.context.users.get(userId)?.password ?? ''
      return driver.submitLogin(userId, password, 'login')
    }
    case 'cancel login':
      return driver.submitLogin('', '', 'cancel')
    case 'idp-initiated sign in': {
      const url = new URL('/saml/idp-initiated', world.idpUrl)
      url.searchParams.set('sp', world.sp.context.options.entityId)
      if (step.arg.RelayState !== undefined) url.searchParams.set('RelayState', step.arg.RelayState)
      return driver.goto(url.toString())
    }
    case 'advance time':
      world.clock.advance(step.arg)
      return
    case 'log out':
      return driver.signOut(new URL('/', world.spUrl).toString())
    case 'log out at the idp':
      await driver.goto(new URL('/logout', world.idpUrl).toString())
      return driver.submitForm('#logout-form')
    case 'replay last response': {
      const last = world.trace.lastAcsDelivery
      if (!last)
        throw new StepFailure('no SAML response, artifact or token callback reached the SP yet')
      return last.form ? driver.post(last.url, last.form) : driver.goto(last.url)
    }
    case 'restart sp':
      world.restartSp()
      return
    case 'update idp user':
      world.idp.context.users.put(step.arg)
      return
    case 'open messenger':
      return driver.goto(new URL('/messenger?open=1', world.spUrl).toString())
    case 'choose sign in':
      return driver.click('#chat-window #sign-in')
    case 'chat as visitor':
      return driver.submitForm('#chat-as-visitor')
    case 'fill survey':
      return driver.submitForm('#survey', step.arg)
    case 'send message':
      return driver.submitForm('#message-form', { text: step.arg })
    case 'end conversation':
      return driver.submitForm('#end-conversation')
    case 'log out from the messenger':
      return driver.submitForm('#log-out')
    case 'choose username':
      return driver.submitForm('#username-form', { username: step.arg })
    case 'agent replies':
      return agentConsole(world).act('#reply', { text: step.arg })
    case 'agent sends sign-in request':
      return agentConsole(world).act('#send-sign-in-request')
    case 'agent ends conversation':
      return agentConsole(world).act('#end-conversation')
    case 'agent signs in': {
      const url = new URL('/agent/login', world.spUrl)
      if (step.arg.site !== undefined) url.searchParams.set('site', step.arg.site)
      return driver.goto(url.toString())
    }
    case 'agent enters site id':
      return driver.submitForm('#site-form', { site: step.arg })
    case 'agent logs in with password': {
      const url = new URL('/agent/login/password', world.spUrl)
      url.searchParams.set('site', step.arg.site)
      await driver.goto(url.toString())
      return driver.submitForm('#agent-password-form', {
        loginName: step.arg['login name'],
        password: step.arg.password,
      })
    }
    case 'agent logs out': {
      const current = await driver.page().catch(() => undefined)
      if (!current?.html.includes('id="agent-logout"')) {
        await driver.goto(new URL('/agent', world.spUrl).toString())
      }
      return driver.submitForm('#agent-logout')
    }
    case 'admin resets agent password':
      return resetAgentPassword(world, step.arg.site, step.arg['login name'], step.arg.password)
    case 'expect':
      return checkExpectation(step.arg, world, driver)
  }
}

interface Mismatch {
  check: string
  expected: string
  actual: string
}

/** Runs every check of an expectation; all mismatches are reported together. */
async function checkExpectation(
  expectation: Expectation,
  world: World,
  driver: Driver,
): Promise<void> {
  const mismatches: Mismatch[] = []
  const compare = (check: string, expected: unknown, actual: unknown) => {
    const e = show(expected)
    const a = show(actual)
    if (e !== a) mismatches.push({ check, expected: e, actual: a })
  }

  const needsSession =
    expectation['signed in'] !== undefined ||
    expectation['signed in as'] !== undefined ||
    expectation.attributes !== undefined ||
    expectation.contact !== undefined ||
    expectation['missing attributes'] !== undefined
  if (needsSession) {
    // Peek, not touch: checking must not count as the visitor's activity.
    const token = await driver.cookie(world.spUrl, spSessionCookie)
    const session = world.sp.context.sessions.peek(token)
    if (expectation['missing attributes'] !== undefined) {
      compare(
        'missing attributes',
        [...expectation['missing attributes']].sort(),
        session
          ? session.missingAttributes.map((missing) => missing.attribute).sort()
          : '(not signed in)',
      )
    }
    const contact =
      session?.contactId !== undefined
        ? world.sp.context.contacts.get(session.contactId)
        : undefined
    for (const [field, value] of Object.entries(expectation.contact ?? {})) {
      const parsed = mappingTargetSchema.safeParse(field)
      const actual = !parsed.success
        ? '(no such contact field)'
        : contact
          ? (fieldValue(contact, parsed.data) ?? '')
          : '(not signed in)'
      compare(`contact ${field}`, value, actual)
    }
    if (expectation['signed in'] !== undefined) {
      compare('signed in', expectation['signed in'], session !== undefined)
    }
    if (expectation['signed in as'] !== undefined) {
      compare(
        'signed in as',
        expectation['signed in as'],
        session ? session.subject.nameId : '(not signed in)',
      )
    }
    for (const [name, value] of Object.entries(expectation.attributes ?? {})) {
      const actual = session?.subject.attributes[name]
      compare(
        `attribute ${name}`,
        Array.isArray(value) ? value : [value],
        actual ?? (session ? '(absent)' : '(not signed in)'),
      )
    }
  }

  const pageChecks = [
    'error',
    'at',
    'login form',
    'login error',
    'text',
    'status',
    'messenger',
    'site prompt',
  ] as const
  if (pageChecks.some((key) => expectation[key] !== undefined)) {
    const page = await driver.page()
    checkPage(expectation, page, world, compare)
  }

  if (expectation.contacts !== undefined) {
    compare('contacts', expectation.contacts, countContacts(world))
  }
  await checkConversation(expectation, world, compare)
  await checkAgentSso(expectation, world, driver, compare)

  const received = expectation['idp received']
  if (received) {
    const requests = world.trace.authnRequests
    if (received.authnRequests !== undefined) {
      compare('idp received authnRequests', received.authnRequests, requests.length)
    }
    if (received.artifactResolves !== undefined) {
      compare(
        'idp received artifactResolves',
        received.artifactResolves,
        world.trace.artifactResolves,
      )
    }
    const last = requests.at(-1)
    const fields = [
      ['acs url', last?.acsUrl ?? '(none)'],
      ['signed', last?.signed],
      ['force authn', last?.forceAuthn],
      ['issuer', last?.issuer ?? '(none)'],
      ['pkce', last?.pkce ?? '(not OIDC)'],
    ] as const
    for (const [key, actual] of fields) {
      const expected = received[key]
      if (expected === undefined) continue
      const written = typeof expected === 'string' ? withBaseUrls(expected, world) : expected
      compare(`idp received ${key}`, written, last ? actual : '(no AuthnRequest received)')
    }
  }

  if (mismatches.length > 0) {
    const checks = mismatches.map((mismatch) => mismatch.check).join(', ')
    throw new StepFailure(
      `${checks}: not as expected`,
      mismatches.map((m) => `${m.check}: ${m.expected}`).join('\n'),
      mismatches.map((m) => `${m.check}: ${m.actual}`).join('\n'),
    )
  }
}

function checkPage(
  expectation: Expectation,
  page: PageState,
  world: World,
  compare: (check: string, expected: unknown, actual: unknown) => void,
): void {
  const document = parse(page.html, { blockTextElements: { pre: true } })
  const url = new URL(page.url)
  const onIdp = url.origin === new URL(world.idpUrl).origin
  if (expectation.error !== undefined) {
    const code = document.querySelector('#error-code')?.text.trim()
    compare('error', expectation.error, code ?? 'none')
  }
  if (expectation.at !== undefined) {
    const spOrigin = new URL(world.spUrl).origin
    const where = url.origin === spOrigin ? `${url.pathname}${url.search}` : page.url
    compare('at', expectation.at, where)
  }
  if (expectation['login form'] !== undefined) {
    compare(
      'login form',
      expectation['login form'],
      onIdp && document.querySelector('#login-form') !== null,
    )
  }
  if (expectation['login error'] !== undefined) {
    compare(
      'login error',
      expectation['login error'],
      document.querySelector('#login-error') !== null,
    )
  }
  if (expectation.text !== undefined) {
    const text = (document.querySelector('body') ?? document).structuredText.replace(/\s+/g, ' ')
    if (!text.includes(expectation.text)) {
      compare('text', `contains "${expectation.text}"`, `page text: "${clip(text.trim(), 300)}"`)
    }
  }
  if (expectation.status !== undefined) compare('status', expectation.status, page.status)
  if (expectation.messenger !== undefined) {
    const state = document.querySelector('#chat-window')?.getAttribute('data-state')
    compare('messenger', expectation.messenger, state ?? '(no chat window on this page)')
  }
  if (expectation['site prompt'] !== undefined) {
    compare(
      'site prompt',
      expectation['site prompt'],
      document.querySelector('#site-form') !== null,
    )
  }
}

/** `{sp}` and `{idp}` in an expected value stand for the base URLs of this run's SP and IdP. */
function withBaseUrls(text: string, world: World): string {
  return text.replaceAll('{sp}', world.spUrl).replaceAll('{idp}', world.idpUrl)
}

function show(value: unknown): string {
  if (Array.isArray(value)) return value.map(String).join(', ')
  return String(value)
}

function clip(text: string, max: number): string {
  return text.length > max ? `${text.slice(0, max)}…` : text
}

export function formatDuration(ms: number): string {
  const units: [string, number][] = [
    ['d', 86_400_000],
    ['h', 3_600_000],
    ['m', 60_000],
    ['s', 1000],
    ['ms', 1],
  ]
  let rest = ms
  let out = ''
  for (const [unit, size] of units) {
    const count = Math.floor(rest / size)
    if (count > 0) {
      out += `${count}${unit}`
      rest -= count * size
    }
  }
  return out || '0s'
}
