/**
 * A conversation's title from its first question: the first line, whitespace collapsed, cut at a
 * word. Pure, so the browser shows the same title before the server's answer arrives.
 */

/** Longest title kept; longer ones are cut. No zod here: the browser bundle imports this file. */
export const MAX_TITLE_LENGTH = 200;

/** Characters of the first question kept as a conversation's title. */
export const DERIVED_TITLE_LENGTH = 80;

export function deriveTitle(content: string): string {
  const line = content.trim().split("\n")[0].replace(/\s+/g, " ").trim();
  if (line.length <= DERIVED_TITLE_LENGTH) return line.slice(0, MAX_TITLE_LENGTH);
  const cut = line.slice(0, DERIVED_TITLE_LENGTH);
  const space = cut.lastIndexOf(" ");
  return `${space > DERIVED_TITLE_LENGTH / 2 ? cut.slice(0, space) : cut}…`;
}
