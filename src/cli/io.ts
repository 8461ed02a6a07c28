/** Where a CLI command writes: the console, or the admin socket's client when the bot runs the command. */
export interface CliIo {
  stdout(line: string): void;
  stderr(line: string): void;
}
