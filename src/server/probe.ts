import {connect} from 'node:net'

import {quote, UserError} from '../errors.js'

export const START_ENGINE_HINT =
  'start it with "temporal server start-dev" (or the Restack engine: "docker run -d --pull always --name restack -p 5233:5233 -p 6233:6233 -p 7233:7233 -p 9233:9233 ghcr.io/restackio/restack:main"), or set RESTACK_ENGINE_ADDRESS to where it runs'

/** Splits `host:port` (IPv6 in brackets) and fails with one paragraph when it is not one. */
export function parseAddress(address: string): {host: string; port: number} {
  const match = address.match(/^(?:\[([^\]]+)\]|([^:]+)):(\d{1,5})$/)
  const port = match ? Number(match[3]) : Number.NaN
  if (!match || port < 1 || port > 65_535) {
    throw new UserError(`RESTACK_ENGINE_ADDRESS is ${quote(address)}, which is not host:port. Set it like "localhost:7233" in .env or the environment.`)
  }

  return {host: match[1] ?? match[2], port}
}

/** Resolves when a TCP connection to the engine opens; throws the "cannot reach" error otherwise. */
export async function probeEngine(address: string, timeoutMs = 3000): Promise<void> {
  const {host, port} = parseAddress(address)
  const reason = await new Promise<string | undefined>((resolve) => {
    const socket = connect({host, port})
    const done = (why?: string): void => {
      socket.destroy()
      resolve(why)
    }

    socket.setTimeout(timeoutMs, () => done(`no answer within ${timeoutMs / 1000} s`))
    socket.once('connect', () => done())
    socket.once('error', (error: NodeJS.ErrnoException) => done(error.code === 'ECONNREFUSED' ? 'connection refused' : (error.code ?? error.message)))
  })
  if (reason !== undefined) throw new UserError(`cannot reach the Restack engine at ${address} (${reason}); ${START_ENGINE_HINT}.`)
}
