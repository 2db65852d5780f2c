import { createInterface } from "node:readline/promises";

/** Asks a yes/no question on the terminal; without one (a pipe, CI) the answer is no. */
export async function confirmed(question: string): Promise<boolean> {
  if (!process.stdin.isTTY) return false;
  const rl = createInterface({ input: process.stdin, output: process.stderr });
  const answer = await rl.question(question);
  rl.close();
  return /^y(es)?$/i.test(answer.trim());
}
