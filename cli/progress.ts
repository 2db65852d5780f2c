/** A progress bar on stderr when it is a terminal; silent otherwise (pipes, CI, tests). */
export function progressBar(label: string, stream: NodeJS.WriteStream = process.stderr) {
  let last = -1;
  return {
    update(done: number, total: number) {
      if (!stream.isTTY || total <= 0) return;
      const width = 30;
      const filled = Math.min(width, Math.round((done / total) * width));
      if (filled === last && done < total) return;
      last = filled;
      stream.write(`\r${label} [${"#".repeat(filled)}${".".repeat(width - filled)}] ${done}/${total}`);
      if (done >= total) stream.write("\n");
    },
  };
}
