import * as z from 'zod'
import { formTokenCookie, formTokenFor } from '../../../core/http/guard/form-token.ts'
import { type Driver, StepFailure } from '../drivers/driver.ts'
import { sameOriginPathSchema } from '../scenario-values.ts'
import { defineStep } from './step.ts'

/** `{sp}` and `{idp}` in a URL stand for the run's base URLs (they differ between drivers). */
const pageUrl = z
  .string()
  .refine((value) => URL.canParse(value.replaceAll(/\{(?:sp|idp)\}/g, 'http://x')), {
    message: 'an absolute URL, e.g. http://evil.example/ or {idp}/',
  })

/** What reaches the IdP or the SP other than through the visitor's own pages. */
export const requestSteps = {
  /**
   * A request sent as another site's page in the visitor's browser (`from`: its Origin,
   * Sec-Fetch-Site and the cookies SameSite lets through) or, without `from`, as a script
   * (no cookies). The answer becomes the page the expectations read: cross-site POSTs, admin
   * calls, a rebinding Host (catalogue case 36).
   */
  'send request': defineStep({
    schema: z
      .object({
        to: z.enum(['sp', 'idp']).default('sp'),
        method: z.enum(['GET', 'POST', 'PUT', 'PATCH', 'DELETE']).default('POST'),
        path: sameOriginPathSchema,
        from: pageUrl.optional(),
        /** Over the browser's own; `null` leaves one out (an old browser sends no Origin). */
        headers: z.record(z.string(), z.string().nullable()).default({}),
        body: z.string().optional(),
      })
      .strict(),
    describe: (request) =>
      `${request.from === undefined ? 'a script' : `a page at ${request.from}`} sends ${request.method} ${request.path} to the ${request.to === 'idp' ? 'IdP' : 'SP'}`,
    run: async (request, { world, driver }) => {
      const base = request.to === 'idp' ? world.idpUrl : world.spUrl
      const withBaseUrls = (text: string) =>
        text.replaceAll('{sp}', world.spUrl).replaceAll('{idp}', world.idpUrl)
      const body =
        request.body?.includes('{form token}') === true
          ? withBaseUrls(request.body).replaceAll('{form token}', await formToken(driver, base))
          : request.body === undefined
            ? undefined
            : withBaseUrls(request.body)
      return driver.send({
        method: request.method,
        url: new URL(request.path, base).href,
        from: request.from === undefined ? undefined : withBaseUrls(request.from),
        headers: Object.fromEntries(
          Object.entries(request.headers).map(([name, value]) => [name.toLowerCase(), value]),
        ),
        body,
      })
    },
  }),
}

/**
 * This browser's form token (`{form token}` in a body), as the forms of the server's own pages
 * carry it: what a script on such a page could send, so a scenario reaches the checks behind
 * the CSRF guard (core/http/guard/form-token.ts).
 */
async function formToken(driver: Driver, base: string): Promise<string> {
  const cookie = await driver.cookie(base, formTokenCookie)
  if (cookie === undefined) {
    throw new StepFailure('this browser has no form token yet: open a page of the server first')
  }
  return encodeURIComponent(formTokenFor(cookie))
}
