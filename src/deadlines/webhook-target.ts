import { lookup as dnsLookup, type LookupAddress } from 'node:dns';
import type { LookupFunction } from 'node:net';
import ipaddr from 'ipaddr.js';

/**
 * Where alert webhooks may go. A teamleider sets the team's webhook URL, and the worker POSTs to it: without these
 * rules that is a request forgery from inside the network (cloud metadata at 169.254.169.254, the service's own
 * loopback, internal hosts). Checked when the URL is saved, and again at send time against the address the
 * connection actually uses (the name is resolved once, checked and pinned, so DNS rebinding cannot switch it).
 */
export interface WebhookPolicy {
  /** Production: https only. */
  httpsOnly: boolean;
  /** Host names (or IP literals) exempt from the address rule: a region's own internal receivers (WEBHOOK_ALLOWED_HOSTS). */
  allowedHosts: ReadonlySet<string>;
}

export class WebhookTargetError extends Error {}

/** The one range a webhook may reach: public unicast. Loopback, private, link-local, CGNAT, multicast, unique-local,
 * unspecified, reserved, broadcast, and IPv6 forms that embed an IPv4 address (6to4, NAT64, Teredo) are refused. */
function publicUnicast(address: ipaddr.IPv4 | ipaddr.IPv6): boolean {
  return address.range() === 'unicast';
}

/** Normalises a host as the allow-list compares it: lower case, without IPv6 brackets, IPs in canonical form. */
export function normaliseHost(host: string): string {
  const bare = host.toLowerCase().replace(/^\[(.*)\]$/, '$1').replace(/\.$/, '');
  return ipaddr.isValid(bare) ? ipaddr.process(bare).toString() : bare;
}

export function parseAllowedHosts(list: string): Set<string> {
  return new Set(list.split(',').map((h) => h.trim()).filter(Boolean).map(normaliseHost));
}

/** Refuses an address outside public unicast (IPv4-mapped IPv6 is judged as the IPv4 address it maps). */
export function assertPublicAddress(address: string): void {
  if (!ipaddr.isValid(address)) throw new WebhookTargetError('the webhook host resolved to something that is not an IP address');
  const parsed = ipaddr.process(address);
  if (!publicUnicast(parsed)) throw new WebhookTargetError(`the webhook host is a ${parsed.range()} address, which webhooks may not reach`);
}

/**
 * The URL's own rules, without resolving: http(s) (https only in production), no credentials, and an IP literal in
 * any spelling must be public. The WHATWG parser already turns decimal, octal and hex IPv4 forms into dotted ones.
 * Returns the host as the allow-list compares it, and whether it is an IP literal.
 */
export function checkWebhookUrl(raw: string, policy: WebhookPolicy): { url: URL; host: string; literal: boolean; allowed: boolean } {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new WebhookTargetError('must be an absolute URL');
  }
  if (url.protocol !== 'https:' && (policy.httpsOnly || url.protocol !== 'http:')) throw new WebhookTargetError(policy.httpsOnly ? 'must be an https URL' : 'must be an http(s) URL');
  if (url.username || url.password) throw new WebhookTargetError('must not carry credentials');
  const host = normaliseHost(url.hostname);
  const allowed = policy.allowedHosts.has(host);
  const literal = ipaddr.isValid(host);
  if (literal && !allowed) assertPublicAddress(host);
  return { url, host, literal, allowed };
}

function resolveAll(host: string): Promise<LookupAddress[]> {
  return new Promise((resolve, reject) => dnsLookup(host, { all: true, verbatim: true }, (err, addresses) => (err ? reject(err) : resolve(addresses))));
}

/**
 * When a URL is saved: its own rules, and a name must not resolve to a refused address (every address it resolves
 * to is checked). A name that does not resolve now is accepted: the send-time check refuses it if it ever resolves
 * into a refused range. Resolution waits at most `timeoutMs`.
 */
export async function checkWebhookTarget(raw: string, policy: WebhookPolicy, timeoutMs = 3_000): Promise<void> {
  const target = checkWebhookUrl(raw, policy);
  if (target.allowed || target.literal) return;
  let timer: NodeJS.Timeout | undefined;
  const addresses = await Promise.race([
    resolveAll(target.host).catch(() => [] as LookupAddress[]),
    new Promise<LookupAddress[]>((resolve) => {
      timer = setTimeout(() => resolve([]), timeoutMs);
    }),
  ]).finally(() => clearTimeout(timer));
  for (const a of addresses) assertPublicAddress(a.address);
}

/**
 * A `lookup` for the connection: resolves the name once, refuses it if any address is outside public unicast, and
 * hands the connection the address it checked, so what was checked is what is connected to.
 */
export const pinnedPublicLookup: LookupFunction = (hostname, options, callback) => {
  resolveAll(hostname).then(
    (addresses) => {
      try {
        if (addresses.length === 0) throw new WebhookTargetError('the webhook host did not resolve');
        for (const a of addresses) assertPublicAddress(a.address);
      } catch (error) {
        callback(error as NodeJS.ErrnoException, '', 0);
        return;
      }
      const wanted = options.family === 4 || options.family === 6 ? addresses.filter((a) => a.family === options.family) : addresses;
      const chosen = wanted[0] ?? addresses[0]!;
      if (options.all) (callback as unknown as (err: null, all: LookupAddress[]) => void)(null, wanted.length > 0 ? wanted : addresses);
      else callback(null, chosen.address, chosen.family);
    },
    (error: NodeJS.ErrnoException) => callback(error, '', 0),
  );
};
