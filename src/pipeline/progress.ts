/** What the pipeline tells a person watching; the CLI shows it on a terminal only. */
export interface Progress {
  update(text: string): void;
  /** Prints a line that stays (a warning the user should see). */
  note(text: string): void;
  stop(): void;
}

export const silentProgress: Progress = {
  update: () => undefined,
  note: () => undefined,
  stop: () => undefined,
};
