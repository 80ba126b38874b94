// /metrics tells how busy the server is and how many shelters are in each state: useful to an attacker timing a
// flood. It answers a Prometheus that sends the configured bearer token or scrapes from an allowed address.
import { BlockList, isIP } from 'node:net';
import { timingSafeEqual, createHash } from 'node:crypto';
import type { FastifyRequest } from 'fastify';
import { HttpProblem } from './problem.ts';

export interface MetricsAccess {
  /**
   * A secret Prometheus sends as the password of HTTP Basic auth (basic_auth.password_file in its scrape config;
   * any user name). Bearer tokens are Refuge's own API tokens, so the metrics secret does not travel as one.
   */
  token?: string;
  /** Client addresses or CIDR ranges allowed without the token. Default: loopback only. */
  allow?: string[];
}

export const DEFAULT_METRICS_ALLOW = ['127.0.0.1/8', '::1'];

/** Builds a block list from addresses and CIDR ranges; throws naming the entry that is neither. */
export function addressList(entries: string[], what: string): BlockList {
  const list = new BlockList();
  for (const raw of entries) {
    const e = raw.trim();
    const [addr, bits] = e.split('/');
    const type = isIP(addr);
    if (!type) throw new Error(`${what}: "${e}" is not an IP address or CIDR range`);
    const family = type === 6 ? 'ipv6' : 'ipv4';
    if (bits === undefined) list.addAddress(addr, family);
    else {
      const n = Number(bits);
      if (!Number.isInteger(n) || n < 0 || n > (type === 6 ? 128 : 32)) throw new Error(`${what}: "${e}" has a bad prefix length`);
      list.addSubnet(addr, n, family);
    }
  }
  return list;
}

function allowed(list: BlockList, ip: string): boolean {
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(ip);
  if (mapped) return list.check(mapped[1], 'ipv4');
  const type = isIP(ip);
  return type !== 0 && list.check(ip, type === 6 ? 'ipv6' : 'ipv4');
}

const digest = (s: string) => createHash('sha256').update(s).digest();

export function metricsGuard(access: MetricsAccess = {}) {
  const list = addressList(access.allow ?? DEFAULT_METRICS_ALLOW, 'metrics allow list');
  const token = access.token ? digest(access.token) : null;
  return async (request: FastifyRequest) => {
    const header = request.headers.authorization;
    if (token && header?.startsWith('Basic ')) {
      const decoded = Buffer.from(header.slice(6).trim(), 'base64').toString('utf8');
      const password = decoded.slice(decoded.indexOf(':') + 1);
      if (timingSafeEqual(digest(password), token)) return;
    }
    if (allowed(list, request.ip)) return;
    throw new HttpProblem('METRICS_NOT_ALLOWED', 'Metrics are served to the configured Prometheus only (a bearer token or an allowed address)');
  };
}
