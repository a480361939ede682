import type { Context, Hono, Next } from 'hono'
import type { RouterRoute } from 'hono/types'
import { lightBody } from './response-text.ts'

/** Thrown by a lazily loaded app when none of its routes takes the request. */
const notTaken = Symbol('route not taken')

/** Each lazy handler's loader, for routesIncludingLazy. */
const loaders = new WeakMap<object, () => Promise<Hono>>()

/**
 * Routes `paths` of `app` to an app built on first use: `load` imports the module holding the
 * routes (a dynamic import(), so neither it nor its dependencies load at start-up) and builds
 * them, once; requests that come meanwhile wait for that build, and a failed build is tried again
 * by the next request. The loaded app registers its routes under their full paths and gets the
 * request whole (the body as `app`'s middleware read it, the server's bindings in `c.env`), after
 * `app`'s own middleware ran. What it throws goes on to `app`'s error handler, and a request it has
 * no route for goes on to `app`'s later routes, then its not-found: answers are those of routes
 * mounted at start.
 */
export function mountLazily(app: Hono, paths: readonly string[], load: () => Promise<Hono>): void {
  let loading: Promise<Hono> | undefined
  const loaded = () => {
    loading ??= load().then(
      (routes) => {
        routes.onError((error) => {
          throw error
        })
        routes.notFound(() => {
          throw notTaken
        })
        return routes
      },
      (error: unknown) => {
        loading = undefined
        throw error
      },
    )
    return loading
  }
  const handler = async (c: Context, next: Next) => {
    const routes = await loaded()
    let answer: Response
    try {
      answer = await routes.fetch(c.req.raw, c.env)
    } catch (error) {
      if (error !== notTaken) throw error
      return next()
    }
    // Through `c`, so that headers `app`'s middleware set before its next() are kept; a body
    // still as it was made (a string, bytes) is passed on as it is: reading `answer.body` would
    // build a WHATWG Response and a stream that the server and the form-token rewrite read back.
    const made = lightBody(answer)
    const body = made ? made.body : answer.body
    return body === null ? c.body(null, answer) : c.body(body, answer)
  }
  loaders.set(handler, loaded)
  for (const path of paths) app.all(path, handler)
}

/**
 * Every route `app` answers, those of its lazily loaded parts loaded and listed in their place
 * (at their full paths), so that tests can go through all of them (e.g. the cross-site guard).
 */
export async function routesIncludingLazy(app: Hono): Promise<RouterRoute[]> {
  const routes: RouterRoute[] = []
  const listed = new Set<Hono>()
  for (const route of app.routes) {
    // Hono wraps the handlers of an app mounted with its own error handler (app.route()).
    const handler =
      (route.handler as { __COMPOSED_HANDLER?: object }).__COMPOSED_HANDLER ?? route.handler
    const load = loaders.get(handler)
    if (!load) {
      routes.push(route)
      continue
    }
    const loaded = await load()
    if (listed.has(loaded)) continue
    listed.add(loaded)
    routes.push(...(await routesIncludingLazy(loaded)))
  }
  return routes
}
