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
// From the SP's /login to the IdP's form, submitted as `username`.
const logIn = async (username: string) => {
  const form = await agent.navigate(`${spUrl}/login`)
  const answer = await agent.submit(
    form,
    '#login-form',
    { username },
    { name: 'action', value: 'login' },
  )
  return { form: form.status, answer: answer.status }
}
const refused = await logIn('nobody')
pages['idp login form'] = refused.form
pages['idp login refused'] = refused.answer
pages['signed in, sp home'] = (await logIn('alice')).answer
const home = await agent.navigate(`${spUrl}/`)
const name = home.document.querySelector('#user-name')?.text ?? null
await visit('sp not found', `${spUrl}/no-such-page`)
console.log(
  JSON.stringify({ hooksBefore, hooksAfter: await promiseHooksOn(), entered, pages, name }),
)
