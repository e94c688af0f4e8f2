/**
 * Where a webhook may be sent (SSRF care). A subscriber's URL must be http or https, without
 * credentials in it. In production it must not reach loopback, private, link-local or otherwise
 * internal addresses unless WEBHOOK_ALLOW_PRIVATE_URLS says so: a literal address or `localhost` is
 * refused when the subscriber is saved, and every address a name resolves to is checked again when
 * the worker connects (the connector's own lookup, so a name that later resolves inward, DNS
 * rebinding, is refused at the socket, not trusted from an earlier check).
 */
import { lookup as dnsLookup, type LookupAddress } from 'node:dns';
import { BlockList, isIP, type LookupFunction } from 'node:net';
import { badInput } from '../../../platform/errors';

const INTERNAL = new BlockList();
for (const [network, prefix] of [
  ['0.0.0.0', 8],
  ['10.0.0.0', 8],
  ['100.64.0.0', 10],
  ['127.0.0.0', 8],
  ['169.254.0.0', 16],
  ['172.16.0.0', 12],
  ['192.0.0.0', 24],
  ['192.168.0.0', 16],
  ['198.18.0.0', 15],
  ['224.0.0.0', 4],
  ['240.0.0.0', 4],
] as const)
  INTERNAL.addSubnet(network, prefix, 'ipv4');
for (const [network, prefix] of [
  ['::', 128],
  ['::1', 128],
  ['fc00::', 7],
  ['fe80::', 10],
  ['ff00::', 8],
] as const)
  INTERNAL.addSubnet(network, prefix, 'ipv6');

/** True for loopback, private, link-local, carrier-grade NAT, multicast and reserved addresses (IPv4-mapped IPv6 too). */
export function isInternalAddress(address: string): boolean {
  const bare = address.replace(/^\[|\]$/g, '');
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(bare);
  if (mapped) return INTERNAL.check(mapped[1], 'ipv4');
  const family = isIP(bare);
  if (family === 4) return INTERNAL.check(bare, 'ipv4');
  if (family === 6) return INTERNAL.check(bare, 'ipv6');
  return false;
}

export interface UrlPolicy {
  /** Internal addresses are refused (production without WEBHOOK_ALLOW_PRIVATE_URLS). */
  refuseInternal: boolean;
}

/** The URL, normalised, when a subscriber may have it; BAD_USER_INPUT naming `argument` otherwise (the URL itself is not echoed). */
export function checkSubscriberUrl(value: string, policy: UrlPolicy, argument = 'input.url'): string {
  let parsed: URL;
  try {
    parsed = new URL(value.trim());
  } catch {
    throw badInput(`${argument} is not a URL`);
  }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') throw badInput(`${argument} must be an http or https URL`);
  if (parsed.username || parsed.password) throw badInput(`${argument} must not carry credentials`);
  if (value.length > 2_000) throw badInput(`${argument} must be at most 2000 characters`);
  const host = parsed.hostname.toLowerCase();
  if (policy.refuseInternal && (host === 'localhost' || host.endsWith('.localhost') || isInternalAddress(host)))
    throw badInput(`${argument} must not be a loopback or private address`);
  parsed.hash = '';
  return parsed.toString();
}

/** A socket lookup that refuses internal addresses (given to the worker's HTTP agent in production). */
export const publicOnlyLookup: LookupFunction = (hostname, options, callback) => {
  dnsLookup(hostname, { ...options, all: true }, (error, addresses) => {
    if (error) return callback(error, '', 0);
    const list = addresses as LookupAddress[];
    const refused = list.find((entry) => isInternalAddress(entry.address));
    if (refused || list.length === 0)
      return callback(
        Object.assign(new Error('webhook URL resolves to a loopback or private address'), { code: 'EADDRNOTALLOWED' }),
        '',
        0,
      );
    if ((options as { all?: boolean }).all) return (callback as unknown as (e: null, a: LookupAddress[]) => void)(null, list);
    callback(null, list[0].address, list[0].family);
  });
};
