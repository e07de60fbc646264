// Bundles: the machine library (Node and browser) and the `shikiri` CLI (Node).
import { chmodSync } from 'node:fs';
import typescript from '@rollup/plugin-typescript';

const ts = () =>
  typescript({
    tsconfig: './tsconfig.json',
    include: ['src/**/*.ts', 'kernel/**/*.ts', 'boards/**/*.ts', 'guests/rtos/cfg/**/*.ts'],
    declaration: false,
    declarationDir: undefined,
    outDir: 'dist',
    noEmitOnError: false,
    compilerOptions: { rootDir: '.', sourceMap: true },
  });

const nodeBuiltins = (id) => id.startsWith('node:');

/** Marks a written bundle executable (the `shikiri` command runs through its `#!` line). */
const executable = () => ({
  name: 'executable',
  writeBundle(options) {
    chmodSync(options.file, 0o755);
  },
});

export default [
  {
    input: 'src/index.ts',
    output: { file: 'dist/index.js', format: 'es', sourcemap: true },
    plugins: [ts()],
  },
  // The CLI as CommonJS (vm.Script can take a V8 code cache for it) and the small launcher that
  // is the `shikiri` executable (src/cli/launch.ts).
  {
    input: 'src/cli/main.ts',
    output: { file: 'dist/cli.cjs', format: 'cjs', sourcemap: true },
    external: nodeBuiltins,
    plugins: [ts()],
  },
  {
    input: 'src/cli/launch.ts',
    // --v8-pool-size=0: V8's worker pool sized to the machine (Node takes the CPU count minus
    // one) instead of Node's fixed 4. A short run compiles hundreds of functions on those workers
    // while the emulator runs; on 2 CPUs four compiling workers take CPU time from the emulator's
    // own thread and finish each job later (a Linux boot about 12 % slower: docs/performance.md).
    // The benchmark runs the CLI with the flags of this line.
    output: { file: 'dist/cli.js', format: 'es', sourcemap: true, banner: '#!/usr/bin/env -S node --v8-pool-size=0' },
    external: nodeBuiltins,
    plugins: [ts(), executable()],
  },
];
