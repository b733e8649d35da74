import {createHash} from 'node:crypto'
import {createServer, IncomingMessage, Server} from 'node:http'

/** One request the stand-in answered: who sent it (restack-ai's aiohttp or Node's fetch) and what. */
export interface CodecRequest {
  bytes: number
  method: string
  path: string
  userAgent: string
}

/**
 * A stand-in for the Restack engine's large-payload codec server (DataDog's
 * temporal-large-payload-codec protocol, as restack-ai 0.0.121 speaks it): `PUT /v2/blobs/put?digest=&namespace=`
 * with the payload bytes and `X-Temporal-Metadata` (base64 JSON of base64 values) answers `{"Key": ...}`;
 * `GET /v2/blobs/get?key=` returns the bytes. It refuses a PUT whose digest or metadata is wrong.
 */
export async function startCodecServer(): Promise<{address: string; close(): Promise<void>; requests: CodecRequest[]}> {
  const blobs = new Map<string, Buffer>()
  const requests: CodecRequest[] = []
  const server: Server = createServer(async (request: IncomingMessage, response) => {
    const chunks: Buffer[] = []
    for await (const chunk of request) chunks.push(chunk as Buffer)
    const body = Buffer.concat(chunks)
    const url = new URL(request.url ?? '/', 'http://127.0.0.1')
    requests.push({bytes: body.length, method: request.method ?? '', path: url.pathname, userAgent: String(request.headers['user-agent'] ?? '')})
    const fail = (status: number, why: string): void => {
      response.writeHead(status, {'Content-Type': 'text/plain'}).end(why)
    }

    if (request.method === 'PUT' && url.pathname === '/v2/blobs/put') {
      const digest = url.searchParams.get('digest') ?? ''
      const namespace = url.searchParams.get('namespace') ?? ''
      if (digest !== `sha256:${createHash('sha256').update(body).digest('hex')}`) return fail(400, `digest ${digest} does not match the body`)
      let metadata: Record<string, string>
      try {
        metadata = JSON.parse(Buffer.from(String(request.headers['x-temporal-metadata']), 'base64').toString('utf8'))
      } catch {
        return fail(400, 'X-Temporal-Metadata is not base64 JSON')
      }

      if (Buffer.from(metadata.encoding ?? '', 'base64').toString('utf8') !== 'json/plain') return fail(400, 'metadata has no json/plain encoding')
      const key = `blobs/${namespace}/${digest}`
      blobs.set(key, body)
      response.writeHead(200, {'Content-Type': 'application/json'}).end(JSON.stringify({Key: key}))
      return
    }

    if (request.method === 'GET' && url.pathname === '/v2/blobs/get') {
      const blob = blobs.get(url.searchParams.get('key') ?? '')
      if (!blob) return fail(404, 'no such key')
      response.writeHead(200, {'Content-Type': 'application/octet-stream'}).end(blob)
      return
    }

    fail(404, 'not a codec route')
  })
  await new Promise<void>((resolve) => {
    server.listen(0, '127.0.0.1', resolve)
  })
  const {port} = server.address() as {port: number}
  return {
    address: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections()
        server.close(() => resolve())
      }),
    requests,
  }
}
