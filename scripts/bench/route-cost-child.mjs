// serve-child.mjs with a CPU meter per route, for `sign-in-cost.ts`: the CPU time (user +
// system) from each request's arrival until its answer is written, summed by port, method and
// path. Only meaningful with one request at a time (one visitor): concurrent requests would
// count each other's work; `{type: 'meter', on: false}` turns it off (it costs some CPU itself).
// With each `usage` answer it also says `{type: 'routes', routes}`, the
// sums since the last, and starts again.
import http from 'node:http'

/** @type {Map<string, {count: number, micros: number}>} */
const routes = new Map()
let metering = true
const emit = http.Server.prototype.emit
http.Server.prototype.emit = function (event, ...args) {
  if (metering && event === 'request') {
    const [request, response] = args
    const start = process.cpuUsage()
    const address = this.address()
    const port = typeof address === 'object' && address ? address.port : 0
    const key = `${port} ${request.method} ${(request.url ?? '').split('?')[0]}`
    response.once('finish', () => {
      const spent = process.cpuUsage(start)
      const route = routes.get(key) ?? { count: 0, micros: 0 }
      route.count++
      route.micros += spent.user + spent.system
      routes.set(key, route)
    })
  }
  return emit.call(this, event, ...args)
}
process.on('message', (/** @type {{ type: string, on?: boolean }} */ request) => {
  if (request.type === 'meter') metering = request.on === true
  if (request.type !== 'usage') return
  process.send?.({ type: 'routes', routes: [...routes] })
  routes.clear()
})
await import('./serve-child.mjs')
