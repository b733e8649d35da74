import type {McpServer} from '@modelcontextprotocol/sdk/server/mcp.js'

import {StreamableHTTPServerTransport} from '@modelcontextprotocol/sdk/server/streamableHttp.js'
import {randomUUID} from 'node:crypto'
import {createServer, IncomingMessage, ServerResponse} from 'node:http'
import {AddressInfo} from 'node:net'

const MAX_BODY = 4 * 1024 * 1024
const MAX_SESSIONS = 100

function readBody(req: IncomingMessage): Promise<unknown> {
  return new Promise((resolve, reject) => {
    let size = 0
    const chunks: Buffer[] = []
    req.on('data', (chunk: Buffer) => {
      size += chunk.length
      if (size > MAX_BODY) reject(Object.assign(new Error('Payload too large'), {status: 413}))
      else chunks.push(chunk)
    })
    req.on('end', () => {
      try {
        resolve(chunks.length === 0 ? undefined : JSON.parse(Buffer.concat(chunks).toString('utf8')))
      } catch {
        reject(Object.assign(new Error('Parse error: the body is not JSON'), {code: -32_700, status: 400}))
      }
    })
    req.on('error', reject)
  })
}

function reply(res: ServerResponse, status: number, message: string, code = -32_000): void {
  if (res.headersSent) return
  res.writeHead(status, {'content-type': 'application/json'}).end(JSON.stringify({error: {code, message}, id: null, jsonrpc: '2.0'}))
}

export interface Listening {
  close(): Promise<void>
  url: string
}

/**
 * Streamable HTTP on 127.0.0.1 only, as the generated tool servers do: a Host other than
 * 127.0.0.1:<port> or localhost:<port>, or a browser Origin other than those, is refused with 403
 * (DNS rebinding); one MCP session per client, at most 100, the least recently used closed first.
 */
export async function listenHttp(create: () => McpServer, port: number): Promise<Listening> {
  const sessions = new Map<string, {server: McpServer; transport: StreamableHTTPServerTransport}>()
  let actualPort = port
  const hosts = () => [`127.0.0.1:${actualPort}`, `localhost:${actualPort}`]
  const closeSession = (id: string) => {
    const session = sessions.get(id)
    if (!session) return
    sessions.delete(id)
    void session.server.close().catch(() => {})
  }

  const http = createServer(async (req, res) => {
    try {
      const url = new URL(req.url ?? '/', 'http://127.0.0.1')
      if (url.pathname !== '/mcp') return reply(res, 404, 'Not found: the MCP endpoint is /mcp')
      if (!hosts().includes(req.headers.host ?? '')) return reply(res, 403, `Forbidden: Host ${JSON.stringify(req.headers.host)} is not allowed`)
      const {origin} = req.headers
      if (origin !== undefined && !hosts().some((host) => origin === `http://${host}`)) return reply(res, 403, `Forbidden: Origin ${JSON.stringify(origin)} is not allowed`)
      const sessionId = req.headers['mcp-session-id']
      const body = req.method === 'POST' ? await readBody(req) : undefined
      if (typeof sessionId === 'string') {
        const session = sessions.get(sessionId)
        if (!session) return reply(res, 404, 'Session not found', -32_001)
        sessions.delete(sessionId)
        sessions.set(sessionId, session)
        return await session.transport.handleRequest(req, res, body)
      }

      if (req.method !== 'POST' || (body as {method?: string} | undefined)?.method !== 'initialize') return reply(res, 400, 'Bad Request: Mcp-Session-Id header is required')
      const server = create()
      const transport: StreamableHTTPServerTransport = new StreamableHTTPServerTransport({
        onsessioninitialized(id) {
          while (sessions.size >= MAX_SESSIONS) closeSession(sessions.keys().next().value as string)
          sessions.set(id, {server, transport})
        },
        sessionIdGenerator: () => randomUUID(),
      })
      transport.onclose = () => {
        if (transport.sessionId) sessions.delete(transport.sessionId)
      }

      await server.connect(transport)
      await transport.handleRequest(req, res, body)
    } catch (error) {
      const {code = -32_603, status = 500} = error as {code?: number; status?: number}
      reply(res, status, (error as Error).message, code)
    }
  })

  await new Promise<void>((resolve, reject) => {
    http.once('error', reject)
    http.listen(port, '127.0.0.1', () => resolve())
  })
  actualPort = (http.address() as AddressInfo).port
  return {
    async close() {
      const closed = new Promise<void>((resolve) => {
        http.close(() => resolve())
      })
      await Promise.all([...sessions.values()].map(({server}) => server.close().catch(() => {})))
      http.closeAllConnections()
      await closed
    },
    url: `http://127.0.0.1:${actualPort}/mcp`,
  }
}
