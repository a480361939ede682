import type { Child } from 'hono/jsx'

const styles = `
  :root { color-scheme: light; font-family: system-ui, sans-serif; }
  body { margin: 0; background: #f4f5f7; color: #1d2430; }
  main { max-width: 44rem; margin: 3rem auto; background: #fff; padding: 2rem 2.5rem;
    border-radius: 10px; box-shadow: 0 1px 4px rgba(0,0,0,.08); }
  h1 { font-size: 1.4rem; margin-top: 0; }
  .badge { display: inline-block; font-size: .75rem; padding: .1rem .5rem; border-radius: 1rem;
    background: #e7ecf5; color: #27406b; vertical-align: middle; }
  .error { border-left: 4px solid #c62828; padding-left: 1rem; }
  code { background: #f0f1f4; padding: .1rem .3rem; border-radius: 4px; }
  table { border-collapse: collapse; width: 100%; }
  th, td { text-align: left; padding: .35rem .5rem; border-bottom: 1px solid #eceef2; vertical-align: top; }
  button, .button { font: inherit; padding: .45rem 1rem; border-radius: 6px; border: 1px solid #27406b;
    background: #27406b; color: #fff; cursor: pointer; text-decoration: none; display: inline-block; }
  button.secondary { background: #fff; color: #27406b; }
  label { display: block; margin: .6rem 0 .2rem; }
  input[type=text], input[type=password] { font: inherit; padding: .4rem; width: 100%; box-sizing: border-box; }
  .users button { margin: .2rem .2rem .2rem 0; }
`

/** The page frame both the IdP and the SP render into. */
export function Layout(props: { title: string; side: 'IdP' | 'SP'; children: Child }) {
  return (
    <html lang="en">
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <title>{`${props.title} · ssoproof ${props.side}`}</title>
        <style>{styles}</style>
      </head>
      <body>
        <main>
          <p>
            <span class="badge">
              ssoproof{' '}
              {props.side === 'IdP' ? 'mock identity provider' : 'reference service provider'}
            </span>
          </p>
          {props.children}
        </main>
      </body>
    </html>
  )
}
