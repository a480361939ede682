import { raw } from 'hono/html'
import type { Child } from 'hono/jsx'
import { describe, expect, it } from 'vitest'
import { doctype, Layout, styles } from './layout.tsx'

/** The frame as JSX, as Layout wrote it before its fixed text was written out once. */
function JsxLayout(props: {
  title: string
  side: 'IdP' | 'SP'
  wide?: boolean
  nav?: Child
  children: Child
}) {
  return (
    <>
      {doctype}
      <html lang="en">
        <head>
          <meta charset="utf-8" />
          <meta name="viewport" content="width=device-width, initial-scale=1" />
          <title>{`${props.title} · ssoproof ${props.side}`}</title>
          <style>{raw(styles)}</style>
        </head>
        <body>
          <main class={props.wide ? 'wide' : undefined}>
            <div class="site-bar">
              <span class="badge">
                ssoproof{' '}
                {props.side === 'IdP' ? 'mock identity provider' : 'reference service provider'}
              </span>
              {props.nav ?? null}
            </div>
            {props.children}
          </main>
        </body>
      </html>
    </>
  )
}

/** A JSX element's HTML: a string, or a promise of it when a child is async. */
const render = (node: unknown) => (node as { toString(): string | Promise<string> }).toString()

describe('Layout', () => {
  const nav = (
    <nav id="site-nav">
      <a href="/" aria-current="page">
        Home
      </a>
      <a href="/messenger?x=1&amp;y=2">Messenger</a>
    </nav>
  )
  const children = (
    <>
      <h1 id="status">
        Signed in as <span id="user-name">{'Zoë <O\'Neil> & "co"'}</span>
      </h1>
      <style>{raw('.x { color: red }')}</style>
      <form method="post" action="/logout">
        <button type="submit">Sign out</button>
      </form>
    </>
  )
  const cases: { title: string; side: 'IdP' | 'SP'; wide?: boolean; nav?: Child }[] = [
    { title: 'Not signed in', side: 'SP' },
    { title: `Signed in as Zoë <O'Neil> & "co" </title><script>`, side: 'SP', nav },
    { title: 'Sign in', side: 'IdP', wide: true },
    { title: '&amp; already escaped?', side: 'IdP', wide: false, nav },
  ]

  it('writes the same bytes as the JSX frame, the title escaped as the JSX renderer escapes text', () => {
    for (const props of cases) {
      const expected = render(<JsxLayout {...props}>{children}</JsxLayout>)
      expect(render(<Layout {...props}>{children}</Layout>), props.title).toBe(expected)
    }
    const page = render(
      <Layout title={cases[1]?.title ?? ''} side="SP">
        x
      </Layout>,
    )
    expect(typeof page).toBe('string')
    expect(page).toContain(
      '<title>Signed in as Zoë &lt;O&#39;Neil&gt; &amp; &quot;co&quot; &lt;/title&gt;&lt;script&gt; · ssoproof SP</title>',
    )
    expect(
      String(page).startsWith('<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"/>'),
    ).toBe(true)
  })

  it('renders async children in place, as JSX does', async () => {
    const Later = async () => <p>later</p>
    const expected = await render(
      <JsxLayout title="t" side="SP">
        <Later />
      </JsxLayout>,
    )
    const actual = render(
      <Layout title="t" side="SP">
        <Later />
      </Layout>,
    )
    expect(actual).toBeInstanceOf(Promise)
    const html = String(await actual)
    expect(html).toBe(String(expected))
    expect(html).toContain('<main><div class="site-bar">')
    expect(html).toContain('</div><p>later</p></main></body></html>')
  })
})
