import type { HTMLElement } from 'node-html-parser'
import * as z from 'zod'
import { clip, sameOriginPathSchema } from '../scenario-values.ts'
import { defineCheck } from './expectation.ts'

/** What the visitor's current page shows. */
export const pageChecks = {
  /** The page (or an admin or API call's JSON answer) shows this stable error code, or `none`. */
  error: defineCheck({
    schema: z.string(),
    async check(expected, { page, compare }) {
      const { document, state } = await page()
      const code = document.querySelector('#error-code')?.text.trim() ?? jsonErrorCode(state.html)
      compare('error', expected, code ?? 'none')
    },
  }),

  /** The browser is on this SP path (path and query). */
  at: defineCheck({
    schema: sameOriginPathSchema,
    async check(expected, { world, page, compare }) {
      const { state } = await page()
      const url = new URL(state.url)
      const onSp = url.origin === new URL(world.spUrl).origin
      compare('at', expected, onSp ? `${url.pathname}${url.search}` : state.url)
    },
  }),

  /** The IdP shows its login form (true) or not (false). */
  'login form': defineCheck({
    schema: z.boolean(),
    async check(expected, { page, compare }) {
      const { document, onIdp } = await page()
      compare('login form', expected, onIdp && document.querySelector('#login-form') !== null)
    },
  }),

  /**
   * Where the last link the visitor followed (e.g. the chat window's "Sign in") was made to
   * open: `popup`, a window of its own, or `tab`, in place. The drivers follow it in the same
   * tab either way; this reads the link itself (its `target`, the page's popup opener).
   */
  'login window': defineCheck({
    schema: z.enum(['popup', 'tab']),
    check(expected, { driver, compare }) {
      compare('login window', expected, driver.lastLinkOpens ?? 'no link followed')
    },
  }),

  /**
   * The last `choose sign in in the panel` showed the IdP's login inside the chat window's panel
   * (true), or the frame was refused and the panel offered a popup (false). The browser driver
   * sees the frame; the http driver reads the IdP's frame headers (drivers/frame-policy.ts).
   */
  'login in panel': defineCheck({
    schema: z.boolean(),
    check(expected, { driver, compare }) {
      const seen = driver.lastPanelSignIn
      compare(
        'login in panel',
        expected,
        seen === undefined ? 'no panel sign-in' : seen === 'shown',
      )
    },
  }),

  /** The IdP asks for the second factor (its one-time code form) (true) or not (false). */
  'second factor form': defineCheck({
    schema: z.boolean(),
    async check(expected, { page, compare }) {
      const { document, onIdp } = await page()
      const shown = onIdp && document.querySelector('#second-factor-form') !== null
      compare('second factor form', expected, shown)
    },
  }),

  /** The IdP's login form shows an error (e.g. wrong password). */
  'login error': defineCheck({
    schema: z.boolean(),
    async check(expected, { page, compare }) {
      const { document } = await page()
      compare('login error', expected, document.querySelector('#login-error') !== null)
    },
  }),

  /** The page's visible text contains this (not its scripts, styles or hidden parts). */
  text: defineCheck({
    schema: z.string(),
    async check(expected, { page, compare }) {
      const { document } = await page()
      const text = visibleText(document.querySelector('body') ?? document)
      if (!text.includes(expected)) {
        compare('text', `contains "${expected}"`, `page text: "${clip(text.trim(), 300)}"`)
      }
    },
  }),

  /** The HTTP status of the current page. */
  status: defineCheck({
    schema: z.number().int(),
    async check(expected, { page, compare }) {
      compare('status', expected, (await page()).state.status)
    },
  }),

  /** The chat window's state: choose, sign-in-required, survey or conversation. */
  messenger: defineCheck({
    schema: z.enum(['choose', 'sign-in-required', 'survey', 'conversation']),
    async check(expected, { page, compare }) {
      const { document } = await page()
      const state = document.querySelector('#chat-window')?.getAttribute('data-state')
      compare('messenger', expected, state ?? '(no chat window on this page)')
    },
  }),

  /** The page asks for the site ID (agent SSO's first sign-in on a browser). */
  'site prompt': defineCheck({
    schema: z.boolean(),
    async check(expected, { page, compare }) {
      const { document } = await page()
      compare('site prompt', expected, document.querySelector('#site-form') !== null)
    },
  }),
}

/** The code of a JSON error answer: `{"error": {"code": …}}`. */
function jsonErrorCode(text: string): string | undefined {
  try {
    const code = (JSON.parse(text) as { error?: { code?: unknown } } | null)?.error?.code
    return typeof code === 'string' ? code : undefined
  } catch {
    return undefined
  }
}

/**
 * What a person reads on the page: the text without script, style, template and noscript
 * contents and without `hidden` elements, white space collapsed. Works on a copy.
 */
function visibleText(root: HTMLElement): string {
  const copy = root.clone() as HTMLElement
  // A JSON answer (an API call's) parses to text alone: all of it is visible.
  if (typeof copy.querySelectorAll !== 'function') return root.text.replace(/\s+/g, ' ')
  for (const element of copy.querySelectorAll('script, style, template, noscript, [hidden]')) {
    element.remove()
  }
  return copy.structuredText.replace(/\s+/g, ' ')
}
