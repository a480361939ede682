import { parse } from 'node-html-parser'
import { describe, expect, it } from 'vitest'
import type { CheckContext } from './expectation.ts'
import { pageChecks } from './page-checks.ts'

const html = `<html><head><style>.x::after { content: "Signed in as alice" }</style></head>
<body><h1>Welcome</h1><script>const who = "Signed in as bob"</script>
<p hidden>Signed in as carol</p><template><p>Signed in as dave</p></template>
<p>Chat   with
 us</p></body></html>`

async function mismatches(expected: string): Promise<unknown[]> {
  const found: unknown[] = []
  const document = parse(html)
  const context = {
    page: async () => ({
      state: { url: 'http://sp.test/', status: 200, html },
      document,
      onIdp: false,
    }),
    compare: (...args: unknown[]) => found.push(args),
  } as unknown as CheckContext
  await pageChecks.text.check(expected, context)
  return found
}

describe('the text expectation', () => {
  it('matches the visible text, white space collapsed', async () => {
    expect(await mismatches('Welcome')).toEqual([])
    expect(await mismatches('Chat with us')).toEqual([])
  })

  it('never matches what a person does not see: styles, scripts, hidden and template parts', async () => {
    for (const who of ['alice', 'bob', 'carol', 'dave']) {
      expect(await mismatches(`Signed in as ${who}`)).toHaveLength(1)
    }
  })
})
