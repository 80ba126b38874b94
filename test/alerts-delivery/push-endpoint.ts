// A local push service for tests: HTTPS with a self-signed certificate made on the spot, scripted answers, and
// RFC 8291 decryption so a test can read what a browser would.
import { createECDH, createDecipheriv, hkdfSync, randomBytes } from 'node:crypto';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, Agent, type Server } from 'node:https';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface ReceivedPush {
  path: string;
  headers: Record<string, string | string[] | undefined>;
  body: Buffer;
}

export function selfSignedCert(): { key: string; cert: string } | null {
  const dir = mkdtempSync(join(tmpdir(), 'refuge-cert-'));
  try {
    execFileSync('openssl', ['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes', '-days', '1',
      '-subj', '/CN=localhost', '-addext', 'subjectAltName=IP:127.0.0.1,DNS:localhost',
      '-keyout', join(dir, 'key.pem'), '-out', join(dir, 'cert.pem')], { stdio: 'ignore' });
    return { key: readFileSync(join(dir, 'key.pem'), 'utf8'), cert: readFileSync(join(dir, 'cert.pem'), 'utf8') };
  } catch {
    return null;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

export class TestPushService {
  readonly received: ReceivedPush[] = [];
  /** Status codes to answer per path, in order; when exhausted the last one repeats (default 201). */
  readonly script = new Map<string, number[]>();
  private server!: Server;
  agent!: Agent;
  origin = '';

  static async start(tls: { key: string; cert: string }): Promise<TestPushService> {
    const s = new TestPushService();
    s.server = createServer(tls, (req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        const path = req.url ?? '/';
        s.received.push({ path, headers: req.headers, body: Buffer.concat(chunks) });
        const plan = s.script.get(path) ?? [201];
        const status = plan.length > 1 ? plan.shift()! : plan[0];
        res.writeHead(status, status === 429 ? { 'retry-after': '0' } : {});
        res.end();
      });
    });
    await new Promise<void>((r) => s.server.listen(0, '127.0.0.1', r));
    s.origin = `https://127.0.0.1:${(s.server.address() as AddressInfo).port}`;
    s.agent = new Agent({ ca: tls.cert, keepAlive: true });
    return s;
  }

  async close(): Promise<void> {
    this.agent.destroy();
    this.server.closeAllConnections();
    await new Promise((r) => this.server.close(r));
  }
}

/** A browser-side subscription: its keys and a way to decrypt what arrives. */
export function browserSubscription(endpoint: string) {
  const ecdh = createECDH('prime256v1');
  ecdh.generateKeys();
  const auth = randomBytes(16);
  return {
    endpoint,
    keys: { p256dh: ecdh.getPublicKey().toString('base64url'), auth: auth.toString('base64url') },
    decrypt(body: Buffer): string {
      const salt = body.subarray(0, 16);
      const idlen = body[20];
      const asPublic = body.subarray(21, 21 + idlen);
      const record = body.subarray(21 + idlen);
      const secret = ecdh.computeSecret(asPublic);
      const keyInfo = Buffer.concat([Buffer.from('WebPush: info\0'), ecdh.getPublicKey(), asPublic]);
      const ikm = Buffer.from(hkdfSync('sha256', secret, auth, keyInfo, 32));
      const cek = Buffer.from(hkdfSync('sha256', ikm, salt, Buffer.from('Content-Encoding: aes128gcm\0'), 16));
      const nonce = Buffer.from(hkdfSync('sha256', ikm, salt, Buffer.from('Content-Encoding: nonce\0'), 12));
      const d = createDecipheriv('aes-128-gcm', cek, nonce);
      d.setAuthTag(record.subarray(record.length - 16));
      const plain = Buffer.concat([d.update(record.subarray(0, record.length - 16)), d.final()]);
      let end = plain.length - 1;
      while (end >= 0 && plain[end] === 0) end--;
      if (plain[end] !== 2) throw new Error('bad padding delimiter');
      return plain.subarray(0, end).toString('utf8');
    },
  };
}

/** Sets server settings (process.env) for a test; the function returned puts them back as they were. */
export function setEnv(values: Record<string, string | undefined>): () => void {
  const saved = Object.fromEntries(Object.keys(values).map((k) => [k, process.env[k]]));
  for (const [k, v] of Object.entries(values)) {
    if (v === undefined) delete process.env[k];
    else process.env[k] = v;
  }
  return () => {
    for (const [k, v] of Object.entries(saved)) {
      if (v === undefined) delete process.env[k];
      else process.env[k] = v;
    }
  };
}

/** A local push service, and the server settings that let a server started afterwards reach it: loopback endpoints
 * allowed and the service's own certificate trusted. close() stops it and puts the settings back. */
export async function localPushService(tls: { key: string; cert: string }): Promise<{ service: TestPushService; close(): Promise<void> }> {
  const service = await TestPushService.start(tls);
  const dir = mkdtempSync(join(tmpdir(), 'refuge-push-ca-'));
  writeFileSync(join(dir, 'push-service.pem'), tls.cert);
  const restore = setEnv({ REFUGE_PUSH_ALLOW_PRIVATE: '1', REFUGE_PUSH_CA_FILE: join(dir, 'push-service.pem') });
  return {
    service,
    async close() {
      restore();
      await service.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
