import { readFile } from 'node:fs/promises';
import { pathToFileURL } from 'node:url';
import { familyExportSchema } from '../../contract/audit.ts';
import { verifyEvents } from '../engine/chain.ts';
import type { EventRecord } from '../engine/records.ts';

// `npm run verify-export -- FILE`: recomputes the hash chain of a family export (GET
// /families/{id}/export) offline — no server, no database. It runs the server's own check
// (engine/chain.ts, with canonical.ts's hashing and the pure machine), so an export verifies here
// exactly when the family verified on the server. Exit 0: intact; 1: broken (the first broken seq is
// named); 2: the file is not a readable export.

export type VerifyExportOutcome = { code: 0 | 1 | 2; line: string };

/** The check of one export document's text. */
export async function verifyExportText(text: string): Promise<VerifyExportOutcome> {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    return { code: 2, line: 'Geen geldig JSON-bestand. / Not a valid JSON file.' };
  }
  const parsed = familyExportSchema.safeParse(json);
  if (!parsed.success) {
    // A field of one event no longer has its recorded shape: that event is where the chain breaks.
    const atEvent = parsed.error.issues
      .map((i) => (i.path[0] === 'events' && typeof i.path[1] === 'number' ? i.path[1] : null))
      .filter((i): i is number => i !== null);
    if (atEvent.length > 0) return broken(Math.min(...atEvent) + 1);
    return { code: 2, line: 'Dit is geen export van Veilig Pad (veilig-pad-export/1). / This is not a Veilig Pad export (veilig-pad-export/1).' };
  }
  const { family, events } = parsed.data;
  const result = await verifyEvents(family.id, events.length, events as EventRecord[]);
  if (!result.valid) return broken(result.brokenAt ?? 1);
  return {
    code: 0,
    line: `Export intact: ${events.length} gebeurtenissen, de hashketen klopt. / Export intact: ${events.length} events, the hash chain holds.`,
  };
}

function broken(seq: number): VerifyExportOutcome {
  return {
    code: 1,
    line: `Export gebroken: de hashketen breekt bij seq ${seq}. / Export broken: the hash chain breaks at seq ${seq}.`,
  };
}

async function main(argv: readonly string[]): Promise<number> {
  const file = argv.find((a) => a !== '--');
  if (!file) {
    process.stderr.write('Gebruik / usage: npm run verify-export -- FILE\n');
    return 2;
  }
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch {
    process.stderr.write(`Kan ${file} niet lezen. / Cannot read ${file}.\n`);
    return 2;
  }
  const outcome = await verifyExportText(text);
  (outcome.code === 0 ? process.stdout : process.stderr).write(`${outcome.line}\n`);
  return outcome.code;
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  process.exitCode = await main(process.argv.slice(2));
}
