/**
 * Where the gateway may send: user input becomes URLs and SMTP hosts here, so each is checked —
 * http(s) only, no credentials in the URL (they would end up in logs and answers), and never a
 * link-local or cloud metadata address, by name now and by resolved address at send time (a
 * name that resolves there later is refused then: DNS rebinding).
 */
import { lookup as dnsLookup, type LookupAddress } from "node:dns";
import { BlockList, isIP, type LookupFunction } from "node:net";

const REFUSED = new BlockList();
REFUSED.addSubnet("169.254.0.0", 16, "ipv4"); // link-local, the clouds' metadata services
REFUSED.addSubnet("100.100.100.200", 32, "ipv4"); // Alibaba Cloud's metadata service
REFUSED.addSubnet("0.0.0.0", 8, "ipv4");
REFUSED.addSubnet("fe80::", 10, "ipv6");
REFUSED.addSubnet("fd00:ec2::254", 128, "ipv6"); // AWS's metadata service over IPv6
REFUSED.addSubnet("::ffff:169.254.0.0", 112, "ipv6");

const REFUSED_NAMES = new Set([
  "metadata",
  "metadata.google.internal",
  "instance-data",
  "instance-data.ec2.internal",
]);

/** A destination the gateway will not send to, in words for the caller. */
export class RefusedAddressError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "RefusedAddressError";
  }
}

function refusedAddress(address: string): boolean {
  const family = isIP(address);
  return family !== 0 && REFUSED.check(address, family === 6 ? "ipv6" : "ipv4");
}

/** Why `host` may not be sent to; undefined when it may (by name: its addresses are checked when used). */
export function hostProblem(host: string): string | undefined {
  const bare = host
    .replace(/^\[|\]$/g, "")
    .toLowerCase()
    .replace(/\.$/, "");
  if (bare === "") return "has no host";
  if (REFUSED_NAMES.has(bare)) return `${bare} is a cloud metadata service: the gateway does not send there`;
  if (refusedAddress(bare))
    return `${bare} is a link-local or metadata address: the gateway does not send there`;
  return undefined;
}

/** Why `text` is not a URL the gateway may POST to; undefined when it is. */
export function webhookUrlProblem(text: string): string | undefined {
  if (text.length > 2048) return "must be at most 2048 characters";
  if (!URL.canParse(text)) return "must be an absolute http:// or https:// URL";
  const url = new URL(text);
  if (url.protocol !== "http:" && url.protocol !== "https:") return "must be an http:// or https:// URL";
  if (url.username !== "" || url.password !== "")
    return "must not carry credentials (user:password@): they would be shown wherever the URL is";
  if (url.hash !== "") return "must not have a #fragment";
  return hostProblem(url.hostname);
}

/** node's lookup, refusing addresses `hostProblem` refuses: for every connection a channel opens. */
export const guardedLookup: LookupFunction = (hostname, options, callback) => {
  dnsLookup(hostname, { ...options, all: true }, (error, addresses) => {
    if (error) return callback(error, "", 4);
    const list = addresses;
    const refused = list.find((a) => refusedAddress(a.address));
    if (refused)
      return callback(
        new RefusedAddressError(
          `${hostname} resolves to ${refused.address}, a link-local or metadata address`,
        ),
        "",
        4,
      );
    if (options.all) return (callback as unknown as (e: null, a: LookupAddress[]) => void)(null, list);
    const first = list[0]!;
    callback(null, first.address, first.family);
  });
};

/** `host`'s address as guardedLookup allows it: for clients that resolve names themselves (SMTP). */
export function resolveGuarded(host: string): Promise<string> {
  return new Promise((resolve, reject) =>
    guardedLookup(host, {}, (error, address) => (error ? reject(error) : resolve(address as string))),
  );
}
