import { redactUrl } from '../../../core/trace/decode.ts'

/** What a driver shows of the page the visitor is looking at. */
export interface PageState {
  url: string
  status: number
  html: string
}

/** Where a followed link opens. */
export type LinkWindow = 'popup' | 'tab'

/**
 * What the messenger's panel made of its sign-in: the IdP's login `shown` inside the panel, or
 * the frame `refused` (the IdP's frame-ancestors / X-Frame-Options) and a popup offered instead.
 */
export type PanelSignIn = 'shown' | 'refused'

/** A link's own word on where it opens: a named or blank target, or the page's popup marker. */
export function linkWindow(
  target: string | null | undefined,
  popup: string | null | undefined,
): LinkWindow {
  const named = target?.trim().toLowerCase()
  return (named !== undefined && named !== '' && named !== '_self') || popup === '1'
    ? 'popup'
    : 'tab'
}

/**
 * A request made outside the visitor's page (catalogue case 36): by another site's page open in
 * the same browser, or by a script. Its answer becomes the current page.
 */
export interface SentRequest {
  method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE'
  url: string
  /**
   * The page that sends it, in the visitor's browser: Origin and Sec-Fetch-Site name it, and the
   * browser's cookies go along as SameSite allows. Undefined: a script, with no cookies at all.
   */
  from: string | undefined
  /** Headers over the browser's own (lower-case names), e.g. content-type, host; null leaves one out. */
  headers: Record<string, string | null>
  body: string | undefined
}

/**
 * How steps act on the IdP and SP: by in-process requests (`http`) or by clicking real pages in
 * Chromium (`browser`). Steps and expectations are written once, against this interface.
 */
export interface Driver {
  readonly name: 'http' | 'browser'
  /** Go to a URL as when following a link: redirects and self-submitting forms are followed. */
  goto(url: string): Promise<void>
  /**
   * Submit a form to a URL (as a page's self-submitting form would) and follow on; like a form
   * of that origin's page, it carries the form token (page-form.ts).
   */
  post(url: string, form: Record<string, string>): Promise<void>
  /** Answer the IdP login form on the current page. */
  submitLogin(username: string, password: string, action: 'login' | 'cancel'): Promise<void>
  /**
   * Submit the form matching this CSS selector on the current page, as its button would, after
   * filling the named fields.
   */
  submitForm(selector: string, fields?: Record<string, string>): Promise<void>
  /** Follow the link matching this CSS selector (a popup link opens in the same tab). */
  click(selector: string): Promise<void>
  /**
   * Where the last link `click` followed was made to open: `popup` (a new window: `target` other
   * than `_self`, or the page's own `data-popup` opener) or `tab` (in place).
   */
  readonly lastLinkOpens: LinkWindow | undefined
  /**
   * Click the chat window's sign-in that the widget shows inside its panel (`a[data-frame]`),
   * note whether the IdP's login was shown there or refused, then go on with that sign-in in
   * place (the panel's frame, or the popup it offers, followed in the same tab).
   */
  signInInPanel(selector: string): Promise<void>
  /** What the last `signInInPanel` saw. */
  readonly lastPanelSignIn: PanelSignIn | undefined
  /** Press the SP's "Sign out" button (opening the SP's home page first when it is not shown). */
  signOut(spHome: string): Promise<void>
  /** Send a request as another site's page in this browser, or a script, would (no redirects followed). */
  send(request: SentRequest): Promise<void>
  page(): Promise<PageState>
  /** The browser's cookie of this name for this URL, if any. */
  cookie(url: string, name: string): Promise<string | undefined>
  /** A PNG of the current page, when the driver can take one. */
  screenshot(): Promise<Uint8Array | undefined>
  close(): Promise<void>
}

/**
 * A step that did not go as written. `expected` and `actual` go into reports: every URL in them
 * passes through the trace's redaction first, so a token, code or SAML message in the address
 * bar never reaches a report.
 */
export class StepFailure extends Error {
  override name = 'StepFailure'
  readonly expected: string | undefined
  readonly actual: string | undefined
  constructor(message: string, expected?: string, actual?: string) {
    super(message)
    this.expected = expected === undefined ? undefined : redactUrls(expected)
    this.actual = actual === undefined ? undefined : redactUrls(actual)
  }
}

function redactUrls(text: string): string {
  return text.replace(/https?:\/\/[^\s"'<>]+/g, (url) => redactUrl(url))
}
