import type {Config} from '@oclif/core'

import {StdioServerTransport} from '@modelcontextprotocol/sdk/server/stdio.js'
import {Writable} from 'node:stream'

import {listenHttp} from './http.js'
import {PlanBook} from './plans.js'
import {createRestackServer} from './server.js'

export interface ServeOptions {
  config: Config
  http?: boolean
  port?: number
}

/** Resolves on the first of SIGINT, SIGTERM, or `extra` (stdin closed). */
const stopped = (extra?: (stop: () => void) => void): Promise<void> =>
  new Promise((resolve) => {
    const stop = () => resolve()
    process.once('SIGINT', stop)
    process.once('SIGTERM', stop)
    extra?.(stop)
  })

/**
 * Serves the project in the current directory until the client goes away (stdio: stdin closes) or
 * the process is told to stop. One plan book for the process, so a plan made in one HTTP session can
 * be applied from another.
 */
export async function serve(options: ServeOptions): Promise<void> {
  const plans = new PlanBook(options.config)
  if (options.http) {
    const listening = await listenHttp(() => createRestackServer(options.config, plans), options.port ?? 0)
    process.stderr.write(`restack mcp: listening on ${listening.url} (Streamable HTTP; Ctrl-C stops it)\n`)
    process.stdout.write(`${listening.url}\n`)
    await stopped()
    await listening.close()
    return
  }

  // stdout is the MCP stream: the transport alone writes there; anything else that writes to stdout
  // (a stray log line of a command or plugin) goes to stderr instead of corrupting the stream.
  const write = process.stdout.write.bind(process.stdout) as (chunk: Uint8Array | string, callback: (error?: Error | null) => void) => boolean
  const out = new Writable({
    write(chunk: Buffer, _encoding, callback) {
      write(chunk, callback)
    },
  })
  process.stdout.write = process.stderr.write.bind(process.stderr) as typeof process.stdout.write
  const server = createRestackServer(options.config, plans)
  await server.connect(new StdioServerTransport(process.stdin, out))
  await stopped((stop) => {
    if (process.stdin.readableEnded) stop()
    process.stdin.once('end', stop)
    process.stdin.once('close', stop)
  })
  await server.close()
}
