import { lookup as dnsLookup, type LookupAddress } from "node:dns";
import { request as httpRequest } from "node:http";
import { request as httpsRequest } from "node:https";
import { isIP, type LookupFunction } from "node:net";
import { Readable } from "node:stream";
import { nonPublicKind as publicAddressRule } from "./public-address.ts";

export type Resolve = (hostname: string) => Promise<LookupAddress[]>;

const systemResolve: Resolve = (hostname) =>
  new Promise((resolve, reject) =>
    dnsLookup(hostname, { all: true }, (error, addresses) => (error ? reject(error) : resolve(addresses))),
  );

/** A channel's host that is, or resolves to, an address off the public internet: never connected to. */
class NonPublicAddressError extends Error {
  override readonly name: string = "NonPublicAddressError";
}

/**
 * A `fetch` for the deployed notifier that connects only to public addresses: the host is
 * resolved, every address it resolves to is checked (loopback, private, link-local, and their
 * IPv4-mapped and NAT64 forms are refused), and the connection goes to the checked address itself,
 * so a name cannot resolve to a public address for the check and a private one for the connection.
 * Redirects are returned, never followed. It takes what the channel sender passes: method,
 * headers, a string body, a signal.
 */
export function publicOnlyFetch(
  resolve: Resolve = systemResolve,
  /** Why an address may not be connected to (tests on loopback only narrow it); undefined: allowed. */
  refused: (address: string) => string | undefined = publicAddressRule,
): typeof fetch {
  const checked: LookupFunction = (hostname, options, callback) => {
    resolve(hostname).then(
      (addresses) => {
        const bad = addresses.find((a) => refused(a.address));
        const first = addresses[0];
        if (bad || !first)
          return callback(
            new NonPublicAddressError(
              bad
                ? `${hostname} resolves to ${bad.address} (${refused(bad.address)}): not allowed in Lambda`
                : `${hostname} resolves to no address`,
            ),
            "",
            4,
          );
        // Node asks for every address when it may try several (autoSelectFamily): the checked one only.
        if ((options as { all?: boolean }).all)
          (callback as unknown as (e: null, a: LookupAddress[]) => void)(null, [first]);
        else callback(null, first.address, first.family);
      },
      (error: Error) => callback(error as NodeJS.ErrnoException, "", 4),
    );
  };
  return (async (input: string | URL | Request, init: RequestInit = {}) => {
    const url = new URL(input instanceof Request ? input.url : String(input));
    const host = url.hostname.replace(/^\[|\]$/g, "");
    if (isIP(host) && refused(host))
      throw new NonPublicAddressError(`${url.hostname} is ${refused(host)}: not allowed in Lambda`);
    const request =
      url.protocol === "https:" ? httpsRequest : url.protocol === "http:" ? httpRequest : undefined;
    if (!request) throw new TypeError(`${url.protocol} is not http(s)`);
    const headers = Object.fromEntries(new Headers(init.headers).entries());
    return await new Promise<Response>((done, fail) => {
      const req = request(
        url,
        { method: init.method ?? "GET", headers, lookup: checked, signal: init.signal ?? undefined },
        (res) => {
          const out = new Headers();
          for (const [name, value] of Object.entries(res.headers))
            for (const v of Array.isArray(value) ? value : value === undefined ? [] : [value])
              out.append(name, v);
          const status = res.statusCode ?? 502;
          const body =
            status === 204 || status === 304 ? null : (Readable.toWeb(res) as ReadableStream<Uint8Array>);
          done(new Response(body, { status, headers: out }));
        },
      );
      req.on("error", (error) => fail(new TypeError("fetch failed", { cause: error })));
      req.end(typeof init.body === "string" ? init.body : undefined);
    });
  }) as typeof fetch;
}
