'use strict';
/**
 * TEST INFRASTRUCTURE. A minimal require hook so a child process can run the project's TypeScript
 * without ts-node: `node -r ./test/support/esdbTestServer/registerTypeScript.js some.ts`.
 * Each `.ts` file is transpiled on load with the project's own `typescript` (transpileModule: no
 * type checking — `tsc --noEmit` does that). Files under node_modules are left alone.
 */
const fs = require('node:fs');
const ts = require('typescript');

const compilerOptions = {
  module: ts.ModuleKind.CommonJS,
  target: ts.ScriptTarget.ES2022,
  esModuleInterop: true,
  inlineSourceMap: true,
  inlineSources: false,
};

process.setSourceMapsEnabled?.(true);

require.extensions['.ts'] = function compileTypeScript(module, filename) {
  if (filename.includes(`${require('node:path').sep}node_modules${require('node:path').sep}`)) {
    throw new Error(`refusing to transpile ${filename}`);
  }
  const source = fs.readFileSync(filename, 'utf8');
  const { outputText } = ts.transpileModule(source, { compilerOptions, fileName: filename });
  module._compile(outputText, filename);
};
