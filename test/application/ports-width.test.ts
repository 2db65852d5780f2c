import { readdirSync, readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";

const PORTS = new URL("../../shared/application/ports/", import.meta.url);

/** Each exported interface of the ports folder with the methods it declares (its own, not those it extends). */
function portMethods(): Map<string, string[]> {
  const ports = new Map<string, string[]>();
  for (const file of readdirSync(PORTS).filter((f) => f.endsWith(".ts"))) {
    const text = readFileSync(new URL(file, PORTS), "utf8");
    for (const match of text.matchAll(/^export interface (\w+)[^{]*\{\n([\s\S]*?)^\}/gm)) {
      const [, name, body] = match as unknown as [string, string, string];
      const methods = [...body.matchAll(/^ {2}(\w+)\??[(<]/gm)].map((m) => m[1] as string);
      ports.set(`${file} ${name}`, methods);
    }
  }
  return ports;
}

/** The sources a user of a port is written in (tests may hold an adapter whole). */
function sources(dir: URL, found: string[] = []): string[] {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const url = new URL(entry.name + (entry.isDirectory() ? "/" : ""), dir);
    if (entry.isDirectory()) sources(url, found);
    else if (entry.name.endsWith(".ts")) found.push(readFileSync(url, "utf8"));
  }
  return found;
}

describe("ports are as narrow as their users (issue 36)", () => {
  it("no port declares more than 6 methods", () => {
    const ports = portMethods();
    // The parse finds the ports the cycle uses, methods and all: a broken parse fails here, not silently.
    expect(ports.get("account-repository.ts AccountStore")).toEqual([
      "openAccount",
      "loadState",
      "findCycle",
      "commitCycle",
      "noteRefusal",
    ]);
    expect(ports.get("alert-outbox.ts AlertDelivery")).toHaveLength(5);
    const wide = [...ports]
      .filter(([, methods]) => methods.length > 6)
      .map(([name, m]) => `${name}: ${m.length}`);
    expect(wide).toEqual([]);
  });

  it("no code casts a store to a wider face than it was given", () => {
    const faces =
      "AccountRepository|AccountStore|AccountHistory|AlertOutbox|AlertSender|AlertQueue|AlertDelivery";
    const cast = new RegExp(`\\bas (?:unknown as )?(?:${faces})\\b`);
    const roots = ["../../shared/", "../../cli/", "../../functions/"].map((p) => new URL(p, import.meta.url));
    const casts = roots.flatMap((root) => sources(root)).filter((text) => cast.test(text));
    expect(casts).toEqual([]);
  });
});
