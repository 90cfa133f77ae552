/** What the pipeline tells a person watching; the CLI shows it on a terminal only. */
export interface Progress {
  update(text: string): void;
  /** Long work counted: `done` of `total` items of the task `label` (the terminal adds %, elapsed time and ETA). */
  count(label: string, done: number, total: number): void;
  /** Prints a line that stays (a warning the user should see). */
  note(text: string): void;
  stop(): void;
}

export const silentProgress: Progress = {
  update: () => undefined,
  count: () => undefined,
  note: () => undefined,
  stop: () => undefined,
};
