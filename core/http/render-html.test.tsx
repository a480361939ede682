import { raw } from 'hono/html'
import type { Child } from 'hono/jsx'
import { describe, expect, it } from 'vitest'
import { inlineScript, inlineStyle, Layout } from './layout.tsx'
import { renderHtml } from './render-html.ts'

function Row(props: { name: string; values: string[] }) {
  return (
    <tr data-name={props.name}>
      <th>{props.name}</th>
      <td>
        {props.values.map((value) => (
          <code>{value}</code>
        ))}
      </td>
    </tr>
  )
}

function Wrapper(props: { children: Child }) {
  return <section class="wrap">{props.children}</section>
}

async function Later(props: { text: string }) {
  await Promise.resolve()
  return <em>{props.text}</em>
}

const page = (
  <Layout title={'<"quoted" & odd>'} side="SP" nav={<a href="/?a=1&b=2">home</a>}>
    <Wrapper>
      <table>
        <Row name="email" values={['a@example.com', '<script>alert(1)</script>']} />
        <Row name="empty" values={[]} />
      </table>
      {false}
      {null}
      {0}
      {raw('<hr>')}
      <input type="checkbox" checked={true} disabled={false} value={'x"y'} />
    </Wrapper>
  </Layout>
)

describe('renderHtml', () => {
  it("gives hono/jsx's own text for a page: components, escaping, attributes, raw parts", () => {
    const text = renderHtml(page)
    expect(typeof text).toBe('string')
    expect(text).toBe(page.toString())
    expect(text).toContain('&lt;script&gt;alert(1)&lt;/script&gt;')
    expect(text).toContain('value="x&quot;y"')
    expect(text).not.toContain('disabled')
  })

  it('finishes a page with an async component the same way, as a promise', async () => {
    const withLater = (
      <div>
        <Later text="<late>" />
        <p>after</p>
      </div>
    )
    const text = renderHtml(withLater)
    expect(text).toBeInstanceOf(Promise)
    expect(String(await text)).toBe('<div><em>&lt;late&gt;</em><p>after</p></div>')
  })

  it('writes <style> and <script> with our text as hono/jsx would, and refuses their end tag', () => {
    const css = 'a > b { color: red; } /* & < */'
    const js = 'if (a < b && c > d) go("x")'
    expect(renderHtml(<div>{inlineStyle(css)}</div>)).toBe(
      (
        <div>
          <style>{raw(css)}</style>
        </div>
      ).toString(),
    )
    expect(renderHtml(<div>{inlineScript(js)}</div>)).toBe(
      (
        <div>
          <script>{raw(js)}</script>
        </div>
      ).toString(),
    )
    expect(() => inlineScript('x</SCRIPT><b>')).toThrow(/end tag/)
    expect(() => inlineStyle('</style>')).toThrow(/end tag/)
  })
})
