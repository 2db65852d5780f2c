import { type ChildProcess, fork } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

/** What a container runs: the bundle's handler, one event at a time, over IPC. */
const CONTAINER = `const { handler } = await import(process.env.BUNDLE_URL);
process.on("message", async ({ id, event }) => {
  try {
    process.send({ id, result: await handler(event) });
  } catch (error) {
    process.send({ id, error: String(error?.message ?? error) });
  }
});
process.send({ ready: true });`;

/**
 * A synthesized function's bundle in warm "containers": Node processes that import it once and run
 * one event at a time, as Lambda's execution environments do; `invoke` hands an event to a free one.
 */
export class WorkerContainers {
  readonly #children: ChildProcess[] = [];
  readonly #free: ChildProcess[] = [];
  readonly #waiting: ((child: ChildProcess) => void)[] = [];
  /** Events run, all containers together. */
  invocations = 0;

  static async start(bundle: string, env: Record<string, string>, count: number): Promise<WorkerContainers> {
    const script = join(mkdtempSync(join(tmpdir(), "container-")), "container.mjs");
    writeFileSync(script, CONTAINER);
    const containers = new WorkerContainers();
    await Promise.all(
      Array.from({ length: count }, async () => {
        const child = fork(script, {
          env: { PATH: process.env.PATH ?? "", BUNDLE_URL: `file://${bundle}`, ...env },
          execPath: process.execPath,
          stdio: ["ignore", "ignore", "inherit", "ipc"],
        });
        containers.#children.push(child);
        await new Promise<void>((resolve, reject) => {
          child.once("message", () => resolve());
          child.once("exit", (code) =>
            reject(new Error(`the container exited (${code}) before it was ready`)),
          );
        });
        containers.#free.push(child);
      }),
    );
    return containers;
  }

  async invoke(event: unknown): Promise<unknown> {
    const child =
      this.#free.pop() ?? (await new Promise<ChildProcess>((resolve) => this.#waiting.push(resolve)));
    this.invocations++;
    const id = this.invocations;
    try {
      return await new Promise((resolve, reject) => {
        const onMessage = (message: { id: number; result?: unknown; error?: string }) => {
          if (message.id !== id) return;
          child.off("message", onMessage);
          if (message.error !== undefined) reject(new Error(message.error));
          else resolve(message.result);
        };
        child.on("message", onMessage);
        child.send({ id, event });
      });
    } finally {
      const waiter = this.#waiting.shift();
      if (waiter) waiter(child);
      else this.#free.push(child);
    }
  }

  close() {
    for (const child of this.#children) child.kill();
  }
}
