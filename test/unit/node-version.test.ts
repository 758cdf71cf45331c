import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';

const major = (version: string) => Number(/^v?(\d+)\./.exec(version)?.[1] ?? NaN);
const packageJson = JSON.parse(readFileSync(resolve(__dirname, '../../package.json'), 'utf8')) as {
  engines: { node: string };
  devDependencies: Record<string, string>;
};

describe('the Node.js the tests run on', () => {
  it('is a supported LTS (24 or later), not the Node 20 of the machine: npm scripts run node_modules/.bin/node', () => {
    expect(major(process.version)).toBeGreaterThanOrEqual(24);
  });

  it('is the version the project pins, and engines asks for at least that major', () => {
    expect(process.version).toBe(`v${packageJson.devDependencies.node}`);
    expect(major(packageJson.engines.node.replace(/^>=/, ''))).toBe(major(process.version));
  });
});
