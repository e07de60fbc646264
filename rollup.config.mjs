// Bundles: the machine library (Node and browser) and the `shikiri` CLI (Node).
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
    output: { file: 'dist/cli.js', format: 'es', sourcemap: true, banner: '#!/usr/bin/env node' },
    external: nodeBuiltins,
    plugins: [ts()],
  },
];
