// Run by pages-without-async-hooks.test.ts in a Node process of its own (`--import tsx`): the
// IdP's and SP's pages through a whole SAML sign-in, counting every AsyncLocalStorage entered and
// asking whether async_hooks' promise hooks are on afterwards. Prints one JSON line.
import { AsyncLocalStorage, executionAsyncId } from 'node:async_hooks'

const entered: string[] = []
for (const name of ['run', 'enterWith'] as const) {
  const original = AsyncLocalStorage.prototype[name] as (...args: unknown[]) => unknown
  Object.defineProperty(AsyncLocalStorage.prototype, name, {
    value(this: AsyncLocalStorage<unknown>, ...args: unknown[]) {
      entered.push(
        new Error().stack
          ?.split('\n')
          .slice(2, 9)
          .map((l) => l.trim())
          .join(' < ') ?? name,
      )
      return original.apply(this, args)
    },
  })
}
// With promise hooks off a promise's reaction runs in no async resource (id 0).
const promiseHooksOn = () => Promise.resolve().then(() => executionAsyncId() !== 0)

const hooksBefore = await promiseHooksOn()
const { createInProcessPair, idpUrl, spUrl } = await import('../fixtures/in-process.ts')
const { agent: newAgent } = await createInProcessPair()
const agent = newAgent()
const pages: Record<string, number> = {}
const visit = async (name: string, url: string) => {
  pages[name] = (await agent.navigate(url)).status
}
await visit('idp home', `${idpUrl}/`)
await visit('idp not found', `${idpUrl}/no-such-page`)
await visit('sp home, signed out', `${spUrl}/`)
const login = await agent.navigate(`${spUrl}/login`)
pages['idp login form'] = login.status
pages['idp login refused'] = (
  await agent.submit(
    login,
    '#login-form',
    { username: 'nobody' },
    { name: 'action', value: 'login' },
  )
).status
const again = await agent.navigate(`${spUrl}/login`)
pages['signed in, sp home'] = (
  await agent.submit(
    again,
    '#login-form',
    { username: 'alice' },
    { name: 'action', value: 'login' },
  )
).status
const home = await agent.navigate(`${spUrl}/`)
const name = home.document.querySelector('#user-name')?.text ?? null
await visit('sp not found', `${spUrl}/no-such-page`)
console.log(
  JSON.stringify({ hooksBefore, hooksAfter: await promiseHooksOn(), entered, pages, name }),
)
