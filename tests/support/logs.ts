/**
 * Scanning captured log output for things that must never be in it: passwords, session and CSRF
 * tokens, cookie values, and personal data (member aliases, report summaries, incident texts).
 * Tests plant distinctive marker strings in that data and then ask where any of them leaked.
 */

export type Leak = { secret: string; form: string; line: string };

/** The spellings a value can take in a log line: as is, JSON-escaped, URL-encoded, base64. */
function formsOf(secret: string): { form: string; text: string }[] {
  const forms = [
    { form: 'raw', text: secret },
    { form: 'json', text: JSON.stringify(secret).slice(1, -1) },
    { form: 'url', text: encodeURIComponent(secret) },
    { form: 'base64', text: Buffer.from(secret, 'utf8').toString('base64').replace(/=+$/, '') },
  ];
  const seen = new Set<string>();
  return forms.filter((f) => f.text.length >= 6 && !seen.has(f.text) && (seen.add(f.text), true));
}

/** Every (secret, line) pair where a secret appears in a line, in any of its usual spellings. */
export function findLeaks(lines: readonly string[], secrets: Iterable<string>): Leak[] {
  const leaks: Leak[] = [];
  const wanted = [...new Set(secrets)]
    .filter((s) => s.length >= 6)
    .flatMap((s) => formsOf(s).map((f) => ({ secret: s, ...f })));
  for (const line of lines) {
    for (const w of wanted) {
      if (line.includes(w.text))
        leaks.push({
          secret: w.secret,
          form: w.form,
          line: line.length > 400 ? `${line.slice(0, 400)}…` : line,
        });
    }
  }
  return leaks;
}

/** Parsed pino lines (non-JSON lines are returned with `raw` only). */
export function parseLogLines(
  lines: readonly string[],
): { raw: string; entry: Record<string, unknown> | null }[] {
  return lines.map((raw) => {
    try {
      const entry = JSON.parse(raw) as unknown;
      return { raw, entry: entry && typeof entry === 'object' ? (entry as Record<string, unknown>) : null };
    } catch {
      return { raw, entry: null };
    }
  });
}

/** Log lines at level error (50) or fatal (60): a healthy run under valid load writes none. */
export function errorLines(lines: readonly string[]): string[] {
  return parseLogLines(lines)
    .filter((l) => typeof l.entry?.level === 'number' && (l.entry.level as number) >= 50)
    .map((l) => l.raw);
}

/** A unique, greppable marker for planted data: letters only, so no encoding changes it. */
export function marker(label: string): string {
  const rnd = Math.random()
    .toString(36)
    .slice(2, 10)
    .replace(/[0-9]/g, (d) => 'qrstuvwxyz'[Number(d)]!);
  return `Mrk${label.replace(/[^A-Za-z]/g, '')}${rnd}`;
}
