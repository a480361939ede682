// The peer of figure 6's cold start: oauth2-mock-server started the way its README does, in
// plain Node (it is JavaScript; ssoproof's own start includes its TypeScript loader). Says
// `ready` with its issuer URL over the IPC channel, stops on `close`.
import { OAuth2Server } from 'oauth2-mock-server'

const server = new OAuth2Server()
await server.issuer.keys.generate('RS256')
await server.start(0, '127.0.0.1')
process.on('message', async () => {
  await server.stop()
  process.disconnect()
})
process.send?.({ type: 'ready', url: server.issuer.url })
