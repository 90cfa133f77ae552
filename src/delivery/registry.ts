import { ConfigError } from "../errors.js";
import { createFileChannel } from "./file/file-channel.js";
import { createStdoutChannel } from "./stdout/stdout-channel.js";
import type { Channel } from "./types.js";

export interface ChannelOptions {
  /** Output folder, for the file channel. */
  dir: string;
}

/** Every delivery channel, by id; one folder per channel under src/delivery/. */
export const CHANNELS: ReadonlyMap<string, (options: ChannelOptions) => Channel> = new Map([
  ["file", (options: ChannelOptions) => createFileChannel(options.dir)],
  ["stdout", () => createStdoutChannel()],
]);

export function createChannel(id: string, options: ChannelOptions): Channel {
  const factory = CHANNELS.get(id);
  if (!factory) throw new ConfigError("channel", id, `one of ${[...CHANNELS.keys()].join(", ")}`);
  return factory(options);
}
