import { runTask, type Task } from "../../shared/adapters/optimize/optimize-task.ts";

/** A piscina worker: runs one batch of settings. */
export default function (task: Task) {
  return runTask(task);
}
