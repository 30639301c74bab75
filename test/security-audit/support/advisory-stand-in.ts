import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { gunzipSync } from 'node:zlib';

/** One advisory as the registry's bulk endpoint answers it. */
export interface StandInAdvisory {
  id: number;
  url: string;
  title: string;
  severity: 'low' | 'moderate' | 'high' | 'critical';
  vulnerable_versions: string;
  cwe: string[];
  cvss: { score: number; vectorString: string };
}

/**
 * GHSA-35jh-r3h4-6jhm (lodash < 4.17.21, command injection through template, high), as published in
 * the GitHub Advisory Database that npm audit reads.
 */
export const LODASH_COMMAND_INJECTION: StandInAdvisory = {
  id: 1106913,
  url: 'https://github.com/advisories/GHSA-35jh-r3h4-6jhm',
  title: 'Command Injection in lodash',
  severity: 'high',
  vulnerable_versions: '<4.17.21',
  cwe: ['CWE-77', 'CWE-94'],
  cvss: { score: 7.2, vectorString: 'CVSS:3.1/AV:N/AC:L/PR:H/UI:N/S:U/C:H/I:H/A:H' },
};

export interface AdvisoryStandIn {
  /** A registry URL for npm_config_registry. */
  url: string;
  /** Package names npm asked the bulk endpoint about. */
  asked: Set<string>;
  close(): Promise<void>;
}

async function body(request: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(chunk as Buffer);
  const raw = Buffer.concat(chunks);
  return request.headers['content-encoding'] === 'gzip' ? gunzipSync(raw) : raw;
}

/**
 * A local stand-in for the two registry endpoints `npm audit` uses: the bulk advisory endpoint
 * (POST /-/npm/v1/security/advisories/bulk) and the packuments of advised packages (GET /<name>),
 * for when the real audit endpoint cannot be reached from this machine.
 */
export async function startAdvisoryStandIn(advisories: Record<string, { advisories: StandInAdvisory[]; versions: string[] }>): Promise<AdvisoryStandIn> {
  const asked = new Set<string>();
  const server: Server = createServer((request, response) => {
    void (async () => {
      const url = new URL(request.url ?? '/', 'http://stand-in');
      if (request.method === 'POST' && url.pathname === '/-/npm/v1/security/advisories/bulk') {
        const wanted = JSON.parse((await body(request)).toString('utf8')) as Record<string, string[]>;
        const answer: Record<string, StandInAdvisory[]> = {};
        for (const name of Object.keys(wanted)) {
          asked.add(name);
          if (advisories[name]) answer[name] = advisories[name].advisories;
        }
        response.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(answer));
        return;
      }
      const name = decodeURIComponent(url.pathname.slice(1));
      const known = advisories[name];
      if (request.method === 'GET' && known) {
        const versions = Object.fromEntries(known.versions.map((version) => [version, { name, version, dependencies: {} }]));
        response.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ name, 'dist-tags': { latest: known.versions.at(-1) }, versions }));
        return;
      }
      response.writeHead(404, { 'content-type': 'application/json' }).end('{"error":"not found"}');
    })().catch(() => response.writeHead(500).end());
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return { url: `http://127.0.0.1:${port}/`, asked, close: () => new Promise((resolve) => server.close(() => resolve())) };
}
