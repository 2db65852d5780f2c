/** Option lines wider than this put their description on the next line. */
const WIDEST_FLAGS = 26;

type Line = { kind: "text"; text: string } | { kind: "option"; flags: string; said: string[] };

/**
 * A command's usage with every option's description starting in one column, however the
 * pieces it is assembled from (shared flags, strategy flags) were indented. An option line
 * is `  --flag …` then two or more spaces then what it does; deeper-indented lines after it
 * continue its description.
 */
export function alignHelp(usage: string): string {
  const lines: Line[] = [];
  let option: Extract<Line, { kind: "option" }> | undefined;
  for (const text of usage.split("\n")) {
    const flagLine = /^ {2}(--\S.*?)(?: {2,}(\S.*))?$/.exec(text);
    if (flagLine) {
      option = { kind: "option", flags: flagLine[1] as string, said: flagLine[2] ? [flagLine[2]] : [] };
      lines.push(option);
    } else if (option && /^ {4,}\S/.test(text)) {
      option.said.push(text.trim());
    } else {
      option = undefined;
      lines.push({ kind: "text", text });
    }
  }
  const widths = lines.flatMap((l) => (l.kind === "option" ? [l.flags.length] : []));
  const column = 2 + Math.min(WIDEST_FLAGS, Math.max(0, ...widths.filter((w) => w <= WIDEST_FLAGS))) + 2;
  const pad = " ".repeat(column);
  return lines
    .flatMap((line) => {
      if (line.kind === "text") return [line.text];
      const head = `  ${line.flags}`;
      const [first, ...rest] = line.said;
      if (first === undefined) return [head];
      const opening =
        head.length + 2 <= column ? [`${head.padEnd(column)}${first}`] : [head, `${pad}${first}`];
      return [...opening, ...rest.map((said) => `${pad}${said}`)];
    })
    .join("\n");
}
