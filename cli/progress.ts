/** A progress bar on stderr when it is a terminal; silent otherwise (pipes, CI, tests). */
export function progressBar(label: string, stream: NodeJS.WriteStream = process.stderr) {
  let last = -1;
  let open = false;
  const started = performance.now();
  return {
    update(done: number, total: number) {
      if (!stream.isTTY || total <= 0) return;
      const width = 30;
      const filled = Math.min(width, Math.round((done / total) * width));
      if (filled === last && done < total) return;
      last = filled;
      stream.write(
        `\r${label} [${"#".repeat(filled)}${".".repeat(width - filled)}] ${done}/${total}${timeLeft(started, done, total)}`,
      );
      if (done >= total) stream.write("\n");
      open = done < total;
    },
    /** Ends a bar left part-way (a stopped run): its line is closed, so what follows starts on a line of its own. */
    end() {
      if (open) stream.write("\n");
      open = false;
    },
  };
}

/** "  ~12 s left" from the pace so far (nothing before the first step or after the last). */
export function timeLeft(started: number, done: number, total: number, now = performance.now()): string {
  if (done <= 0 || done >= total) return "";
  const seconds = Math.ceil((((now - started) / done) * (total - done)) / 1000);
  return seconds >= 120 ? `  ~${Math.ceil(seconds / 60)} min left` : `  ~${seconds} s left`;
}
