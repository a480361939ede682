import { type Context, Hono, type Next } from 'hono'
import type { H, RouterRoute } from 'hono/types'
import { lightBody } from './response-text.ts'

/** Thrown by a lazily loaded app when none of its routes takes the request. */
const notTaken = Symbol('route not taken')

/** Each lazy handler's loader, for routesIncludingLazy. */
const loaders = new WeakMap<object, () => Promise<Hono>>()

/** The parent's body cache of each request handed to a loaded app, for the app to read through. */
const parentCaches = new WeakMap<Request, HonoBodyCache>()

type HonoBodyCache = Context['req']['bodyCache']

const rethrow = (error: Error): never => {
  throw error
}

/**
 * Has a loaded app's request read its form through the parent's body cache, when the parent
 * holds one (read-body.ts: a form parsed at most once, without a Response, and shared with the
 * form token check). Only the form: text(), json(), arrayBuffer() still read the request itself
 * (buffered-request.ts), not through a Response made from a cached body as Hono would for a cache
 * holding another kind, which is also why the form is kept out of the cache's enumeration.
 */
function formThroughParent(c: Context): void {
  const cache = c.req.bodyCache
  if (Object.hasOwn(cache, 'formData')) return
  const parent = parentCaches.get(c.req.raw)
  if (!parent || !('formData' in parent)) return
  let own: Promise<FormData> | undefined
  Object.defineProperty(cache, 'formData', {
    configurable: true,
    enumerable: false,
    get: () => own ?? parent.formData,
    set: (value: Promise<FormData>) => {
      own = value
    },
  })
}

/**
 * Routes `paths` of `app` to an app built on first use: `load` imports the module holding the
 * routes (a dynamic import(), so neither it nor its dependencies load at start-up) and builds
 * them, once; requests that come meanwhile wait for that build, and a failed build is tried again
 * by the next request. The loaded app registers its routes under their full paths and gets the
 * request whole (the body as `app`'s middleware read it, the server's bindings in `c.env`), after
 * `app`'s own middleware ran, and reads its form through `app`'s body cache: a form the parent
 * parsed (read-body.ts, the form token check) is not parsed again, and one the routes parse is
 * parsed once, by the parent's reader. What it throws goes on to `app`'s error handler, and a
 * request it has no route for goes on to `app`'s later routes, then its not-found: answers are
 * those of routes mounted at start. When the loaded app is plain routes with fixed paths (the
 * sign-in's), each runs in `app`'s own context, as one mounted at start (staticRoutes); else
 * through a front app of its own, in a context of its own.
 */
export function mountLazily(app: Hono, paths: readonly string[], load: () => Promise<Hono>): void {
  let loading: Promise<{ routes: Hono; front: Hono; direct: StaticRoutes | undefined }> | undefined
  const loaded = () => {
    loading ??= load().then(
      (routes) => {
        // The routes' own Hono would begin each request with an empty body cache: its
        // parseBody() would read the bytes again and parse the form through a Response made for
        // it (Hono's parseFormData). The front app runs the same handlers in the same order,
        // each first reading the form through the parent's cache; what they throw goes on to the
        // parent's error handler (an onError of the routes' own is not used).
        const front = new Hono()
        for (const route of routes.routes) {
          const handle = route.handler
          front.on(route.method, route.path, (c, next) => {
            formThroughParent(c)
            return handle(c, next)
          })
        }
        front.onError(rethrow)
        front.notFound(() => {
          throw notTaken
        })
        return { routes, front, direct: staticRoutes(routes) }
      },
      (error: unknown) => {
        loading = undefined
        throw error
      },
    )
    return loading
  }
  const handler = async (c: Context, next: Next) => {
    const { front, direct } = await loaded()
    // A route that alone takes the request runs as one mounted at start would: in `c` itself.
    const route = direct?.get(c.req.method)?.get(c.req.path)
    if (route) return route(c, next)
    const request = c.req.raw
    parentCaches.set(request, c.req.bodyCache)
    let answer: Response
    try {
      answer = await front.fetch(request, c.env)
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
  loaders.set(handler, async () => (await loaded()).routes)
  for (const path of paths) app.all(path, handler)
}

/** Handlers by method and path. */
type StaticRoutes = Map<string, Map<string, H>>

const concreteMethods = new Set(['GET', 'POST', 'PUT', 'DELETE', 'PATCH', 'OPTIONS'])
const staticPath = /^\/[A-Za-z0-9/_.~-]*$/

/**
 * The loaded routes by method and path when each is the only one that can take a request to
 * its method and path — every route of the app has one method and a path without parameters,
 * wildcards or patterns (Hono's strict matching: the path as written, no other), no two the
 * same, and no middleware — else undefined. Such a route is run in the parent's context itself
 * (its headers, variables and body cache), with the parent's `next` for what it does not take,
 * as if it had been mounted at start: no second app's routing, context and copy of the answer.
 * HEAD, which Hono answers with a GET route, goes through the front app as before.
 */
function staticRoutes(routes: Hono): StaticRoutes | undefined {
  const table: StaticRoutes = new Map()
  for (const route of routes.routes) {
    if (!concreteMethods.has(route.method) || !staticPath.test(route.path)) return undefined
    const byPath = table.get(route.method) ?? new Map<string, H>()
    if (byPath.has(route.path)) return undefined
    byPath.set(route.path, route.handler)
    table.set(route.method, byPath)
  }
  return table
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
