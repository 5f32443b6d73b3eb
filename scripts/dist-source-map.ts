/**
 * Shapes what ncc writes into the dist/ an action ships: the bundle becomes bundle.js with a
 * source map of the action's own code (its src/ and the kit's), and index.js becomes a loader
 * that turns Node's source-map support on only when the run is debugged (RUNNER_DEBUG, or the
 * ACTIONS_STEP_DEBUG secret). Node reads a map only for code loaded after that switch
 * (process.setSourceMapsEnabled), hence the loader. A debugged run's stack trace then names
 * `packages/kit/src/run.ts:52` instead of a column of minified code; an ordinary run pays nothing.
 *
 * The map keeps only the action's own files, without their text (sourcesContent) or names: the
 * dependencies' mappings would make it some 4 MB, and a file name and line is what a stack needs.
 *
 * A dynamic import() (sync-dags' MWAA client) makes ncc split a chunk, `<id>.index.js`, that
 * bundle.js loads from its own folder on first use, under that name. ncc minifies only its main
 * file, so each chunk is minified here (esbuild), and its map dropped: a chunk may hold
 * dependencies only, never the action's own code, so it has nothing the map keeps.
 */
import { readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { decode, encode, type SourceMapSegment } from '@jridgewell/sourcemap-codec';
import { transformSync } from 'esbuild';

interface RawSourceMap {
  version: number;
  sources: string[];
  mappings: string;
}

const LOADER = `'use strict';
// The action's code is bundle.js. Its source map (the action's own code) is read only when the run
// is debugged, so a stack trace then points into src/ instead of minified code.
if (process.env.RUNNER_DEBUG === '1' || process.env.ACTIONS_STEP_DEBUG === 'true') {
  process.setSourceMapsEnabled(true);
}
require('./bundle.js');
`;

/** ncc names sources from the repository root with a '../' prefix; dist/ is three folders down. */
const NCC_PREFIX = '../';
const FROM_DIST = '../../../';

function isOwnSource(source: string): boolean {
  return /^\.\.\/(actions|packages)\//.test(source) && !source.includes('/node_modules/');
}

/** The map reduced to the action's own sources, named from dist/, with no names or texts. */
export function ownCodeMap(map: RawSourceMap): object {
  const kept = new Map<number, number>();
  const sources: string[] = [];
  map.sources.forEach((source, index) => {
    if (!isOwnSource(source)) return;
    kept.set(index, sources.length);
    sources.push(FROM_DIST + source.slice(NCC_PREFIX.length));
  });
  const mappings = decode(map.mappings).map((line) =>
    line.flatMap((segment): SourceMapSegment[] => {
      if (segment.length === 1) return [];
      const [column, from, sourceLine, sourceColumn] = segment;
      const source = kept.get(from);
      return source === undefined ? [] : [[column, source, sourceLine, sourceColumn]];
    }),
  );
  return { version: 3, file: 'bundle.js', sources, names: [], mappings: encode(mappings) };
}

/** Turns ncc's index.js and index.js.map in `out` into the loader, bundle.js and bundle.js.map. */
export function shapeDist(out: string): void {
  const code = readFileSync(join(out, 'index.js'), 'utf8').replace(
    /\/\/# sourceMappingURL=index\.js\.map\s*$/,
    '//# sourceMappingURL=bundle.js.map\n',
  );
  if (!code.endsWith('//# sourceMappingURL=bundle.js.map\n')) {
    throw new Error(`ncc's ${join(out, 'index.js')} does not end with its source map's URL`);
  }
  const map = JSON.parse(readFileSync(join(out, 'index.js.map'), 'utf8')) as RawSourceMap;
  writeFileSync(join(out, 'bundle.js'), code);
  writeFileSync(join(out, 'bundle.js.map'), JSON.stringify(ownCodeMap(map)));
  rmSync(join(out, 'index.js.map'));
  writeFileSync(join(out, 'index.js'), LOADER);
  for (const chunk of readdirSync(out).filter((file) => /^\d+\.index\.js$/.test(file)))
    shapeChunk(out, chunk);
}

/** A chunk minified, with no map; refused when it holds the action's own code (see above). */
function shapeChunk(out: string, chunk: string): void {
  const mapFile = join(out, `${chunk}.map`);
  const map = JSON.parse(readFileSync(mapFile, 'utf8')) as RawSourceMap;
  const own = map.sources.filter(isOwnSource);
  if (own.length > 0) {
    throw new Error(`${chunk} holds the action's own code (${own.join(', ')}); import() only dependencies`);
  }
  rmSync(mapFile);
  const code = readFileSync(join(out, chunk), 'utf8').replace(/\/\/# sourceMappingURL=\S+\s*$/, '');
  const minified = transformSync(code, {
    minify: true,
    target: 'es2022',
    platform: 'node',
    legalComments: 'none',
  });
  writeFileSync(join(out, chunk), minified.code);
}
