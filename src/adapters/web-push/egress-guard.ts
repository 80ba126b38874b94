// The server POSTs to whatever push endpoint a browser registered. Checking the endpoint's host name when it is
// stored is not enough: a name can resolve to this machine or the private network later (DNS rebinding). This
// lookup runs at connect time, for every connection to a push service, and refuses private and reserved addresses.
import { BlockList, isIP } from 'node:net';
import { lookup as dnsLookup, type LookupAddress, type LookupAllOptions, type LookupOneOptions } from 'node:dns';

const blocked = new BlockList();
for (const [net, bits] of [
  ['0.0.0.0', 8], ['10.0.0.0', 8], ['100.64.0.0', 10], ['127.0.0.0', 8], ['169.254.0.0', 16], ['172.16.0.0', 12],
  ['192.0.0.0', 24], ['192.168.0.0', 16], ['198.18.0.0', 15], ['224.0.0.0', 4], ['240.0.0.0', 4],
] as const) blocked.addSubnet(net, bits, 'ipv4');
for (const [net, bits] of [['::', 128], ['::1', 128], ['fc00::', 7], ['fe80::', 10], ['ff00::', 8]] as const) blocked.addSubnet(net, bits, 'ipv6');

/** Why an IP address may not be a push service's (private, loopback, link-local, reserved), or null. */
export function privateAddressReason(ip: string): string | null {
  const family = isIP(ip);
  if (family === 0) return `${ip} is not an IP address`;
  if (family === 6) {
    // IPv4-mapped (::ffff:a.b.c.d) and NAT64 (64:ff9b::a.b.c.d) reach the IPv4 address inside.
    const inner = /^(?:::ffff:|64:ff9b::)(\d+\.\d+\.\d+\.\d+)$/i.exec(ip)?.[1];
    if (inner) return privateAddressReason(inner);
    return blocked.check(ip, 'ipv6') ? `${ip} is a private or reserved address` : null;
  }
  return blocked.check(ip, 'ipv4') ? `${ip} is a private or reserved address` : null;
}

export class EgressRefusedError extends Error {
  readonly code = 'EREFUGE_PRIVATE_ADDRESS';
  constructor(readonly host: string, readonly address: string, reason: string) {
    super(`push endpoint host ${host} resolves to a refused address: ${reason}`);
    this.name = 'EgressRefusedError';
  }
}

type LookupCallback = (err: NodeJS.ErrnoException | null, address: string | LookupAddress[], family?: number) => void;

/** A `lookup` for an http(s) Agent that refuses private and reserved addresses (unless `allowPrivate`). */
export function guardedLookup(allowPrivate = false) {
  return function lookup(host: string, options: LookupOneOptions | LookupAllOptions | number | undefined, callback: LookupCallback): void {
    const opts = (typeof options === 'number' ? { family: options } : options ?? {}) as LookupAllOptions;
    dnsLookup(host, { ...opts, all: true }, (err, addresses) => {
      if (err) return callback(err, '');
      if (!allowPrivate) {
        for (const a of addresses) {
          const reason = privateAddressReason(a.address);
          if (reason) return callback(new EgressRefusedError(host, a.address, reason) as unknown as NodeJS.ErrnoException, '');
        }
      }
      if (opts.all) return callback(null, addresses);
      const first = addresses[0];
      if (!first) return callback(Object.assign(new Error(`${host} has no address`), { code: 'ENOTFOUND' }), '');
      callback(null, first.address, first.family);
    });
  };
}
