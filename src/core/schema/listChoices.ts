/** `a, b or c` (with `quote` around each: `"a", "b" or "c"`), for messages that list what is allowed. */
export function listChoices(choices: readonly string[], quote = ''): string {
  const quoted = choices.map((choice) => `${quote}${choice}${quote}`);
  return quoted.length > 1 ? `${quoted.slice(0, -1).join(', ')} or ${quoted.at(-1)}` : (quoted[0] ?? '');
}
