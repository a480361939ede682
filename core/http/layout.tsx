import { raw } from 'hono/html'
import type { Child } from 'hono/jsx'
import { escapeHtml } from './escape-html.ts'

/** Without it a browser renders in quirks mode (`document.compatMode === 'BackCompat'`). */
export const doctype = raw('<!DOCTYPE html>')

/**
 * One stylesheet for every page of both sides. Colours keep 4.5:1 on their background (WCAG 2.2
 * §1.4.3); long values (fingerprints, URLs, XML) wrap instead of widening the page.
 */
export const styles = `
  :root { color-scheme: light; font-family: system-ui, sans-serif; line-height: 1.45; }
  body { margin: 0; background: #f4f5f7; color: #1d2430; }
  main { max-width: 44rem; margin: 2rem auto; background: #fff; padding: 1.5rem 2.5rem 2rem;
    border-radius: 10px; box-shadow: 0 1px 4px rgba(0,0,0,.08); }
  main.wide { max-width: 76rem; }
  main { overflow-wrap: break-word; } summary { overflow-wrap: anywhere; }
  @media (max-width: 640px) { main, main.wide { margin: 0; padding: 1rem; border-radius: 0; } }
  h1 { font-size: 1.5rem; margin: .2rem 0 .8rem; }
  h2 { font-size: 1.15rem; margin: 1.6rem 0 .6rem; }
  h3 { font-size: 1rem; margin: 1.2rem 0 .4rem; }
  a { color: #1f4f9c; }
  .site-bar { display: flex; flex-wrap: wrap; gap: .3rem 1rem; align-items: center; margin-bottom: .6rem; }
  .site-bar nav { display: flex; flex-wrap: wrap; gap: .2rem .9rem; }
  .badge { display: inline-block; font-size: .75rem; padding: .1rem .5rem; border-radius: 1rem;
    background: #e7ecf5; color: #27406b; vertical-align: middle; font-weight: 600; }
  .badge.accepted, .badge.passed, .badge.verified { background: #e3f4e6; color: #1b5e20; }
  .badge.rejected, .badge.failed { background: #fde7e7; color: #a31515; }
  .badge.warning, .badge.incomplete { background: #fff3d6; color: #6b4500; }
  .badge.guest, .badge.muted { background: #eef0f3; color: #434b58; }
  .outcome-pass, .outcome-passed { color: #1b5e20; }
  .outcome-warning { color: #7a4f00; }
  .outcome-fail, .outcome-failed { color: #b71c1c; }
  .outcome-not-checked, .outcome-not-reached, .outcome-pending, .outcome-not-available, .muted { color: #4f5866; }
  .error { border-left: 4px solid #c62828; padding-left: 1rem; }
  .summary { border-left: 4px solid #27406b; padding: .4rem 1rem; background: #f6f8fb; }
  .summary.accepted { border-color: #2e7d32; background: #f1f9f2; }
  .summary.rejected { border-color: #c62828; background: #fdf3f3; }
  code { background: #f0f1f4; padding: .1rem .3rem; border-radius: 4px; overflow-wrap: anywhere; }
  pre { white-space: pre-wrap; overflow-wrap: anywhere; }
  table { border-collapse: collapse; width: 100%; }
  th, td { text-align: left; padding: .35rem .5rem; border-bottom: 1px solid #eceef2; vertical-align: top;
    overflow-wrap: anywhere; }
  .scroll { overflow-x: auto; }
  .nowrap { white-space: nowrap; }
  button, .button { font: inherit; padding: .45rem 1rem; border-radius: 6px; border: 1px solid #27406b;
    background: #27406b; color: #fff; cursor: pointer; text-decoration: none; display: inline-block; }
  button.secondary, .button.secondary { background: #fff; color: #27406b; }
  button.small { padding: .1rem .5rem; font-size: .8rem; }
  :focus-visible { outline: 3px solid #1f6feb; outline-offset: 2px; }
  label { display: block; margin: .6rem 0 .2rem; }
  input[type=text], input[type=password], input[type=email], input[type=tel], input[type=url],
  input[type=number], input[type=search], input[type=date], select, textarea {
    font: inherit; padding: .4rem; width: 100%; box-sizing: border-box; border: 1px solid #8a93a3;
    border-radius: 4px; }
  .users button { margin: .2rem .2rem .2rem 0; }
`

// The frame's fixed text, written once: hono/jsx renders `<head>` and its `<meta>`, `<title>`
// and `<style>` through its document-metadata components (a render context looked up per
// element), and the 3.5 kB stylesheet would be copied into every page's buffer anew.
const headStart =
  '<html lang="en"><head><meta charset="utf-8"/>' +
  '<meta name="viewport" content="width=device-width, initial-scale=1"/><title>'
const headEnd = `</title><style>${styles}</style></head><body>`
const badges = {
  IdP: '<span class="badge">ssoproof mock identity provider</span>',
  SP: '<span class="badge">ssoproof reference service provider</span>',
} as const

/**
 * The page frame both the IdP and the SP render into: standards mode, one stylesheet, the side's
 * badge and, when given, its navigation. `wide` for pages with a table or two columns. The same
 * bytes as the JSX it stands for (layout.test.tsx renders both).
 */
export function Layout(props: {
  title: string
  side: 'IdP' | 'SP'
  wide?: boolean
  nav?: Child
  children: Child
}) {
  const title = escapeHtml(`${props.title} · ssoproof ${props.side}`)
  const main = props.wide ? '<main class="wide">' : '<main>'
  return (
    <>
      {doctype}
      {raw(`${headStart}${title}${headEnd}${main}<div class="site-bar">${badges[props.side]}`)}
      {props.nav ?? null}
      {raw('</div>')}
      {props.children}
      {raw('</main></body></html>')}
    </>
  )
}

/**
 * `<style>` and `<script>` holding our own constant text, as raw HTML: the same bytes hono/jsx
 * writes for `<style>{raw(css)}</style>`, without its document-metadata components, which render
 * their children inside an AsyncLocalStorage (render-html.ts says what that costs).
 */
export function inlineStyle(css: string) {
  return rawElement('style', css)
}

/** See inlineStyle. */
export function inlineScript(script: string) {
  return rawElement('script', script)
}

function rawElement(tag: 'style' | 'script', text: string) {
  if (text.toLowerCase().includes(`</${tag}`))
    throw new Error(`an inline <${tag}> must not hold its own end tag`)
  return raw(`<${tag}>${text}</${tag}>`)
}
