/**
 * Input the user got wrong: a bad domain, an unreadable connector export, a
 * profile that does not parse. Shared by the engine, the planner, the CLI and
 * the UI handlers: the CLI prints the message on one line and exits 2; the UI
 * shows it next to the field. `where` points at the problem (a field path, a
 * file and line) when there is one.
 */
export class InputError extends Error {
  override readonly name = 'InputError';
  constructor(message: string, readonly where?: string) {
    super(message);
  }
}
