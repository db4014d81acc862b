// Where the project's own files are (migrations, the web client, the password list), wherever this
// module runs from: its source under tsx, or the server bundle that `npm start` builds into dist/.
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

function findRoot(from: string): string {
  for (let dir = from; ; dir = path.dirname(dir)) {
    const pkg = path.join(dir, 'package.json');
    if (existsSync(pkg) && (JSON.parse(readFileSync(pkg, 'utf8')) as { name?: string }).name === 'veilig-pad') return dir;
    if (path.dirname(dir) === dir) throw new Error(`no package.json of veilig-pad above ${from}`);
  }
}

/** The folder of the project's package.json. */
export const projectRoot = findRoot(path.dirname(fileURLToPath(import.meta.url)));
