import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';

/**
 * The directory holding the project's package.json, found upwards from this file: the same whether the code runs
 * from the sources (tsx, Jest) or from the compiled build one level deeper (dist/src/…).
 */
export function projectRoot(from: string = __dirname): string {
  for (let dir = from; ; dir = dirname(dir)) {
    if (existsSync(join(dir, 'package.json'))) return dir;
    if (dirname(dir) === dir) throw new Error(`no package.json above ${from}`);
  }
}
