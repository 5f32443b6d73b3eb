// minimatch 3 ships no types; only the part used here is declared.
declare module 'minimatch' {
  interface Options {
    dot?: boolean;
    matchBase?: boolean;
    nocase?: boolean;
  }
  interface IMinimatch {
    match(path: string): boolean;
  }
  interface MinimatchStatic {
    (path: string, pattern: string, options?: Options): boolean;
    Minimatch: new (pattern: string, options?: Options) => IMinimatch;
  }
  namespace minimatch {
    export type { IMinimatch, Options };
  }
  const minimatch: MinimatchStatic;
  export = minimatch;
}
