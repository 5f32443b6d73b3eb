/**
 * The entry of a script that an e2e test runs inside private namespaces: it does its work and
 * writes what it saw to the JSON file named on its command line, which the test then reads.
 */
export function runFactsScript(name: string, main: (outFile: string) => Promise<void>): void {
  const outFile = process.argv[2];
  if (outFile === undefined) {
    console.error(`usage: ${name} <facts.json>`);
    process.exitCode = 2;
    return;
  }
  main(outFile).catch((err: unknown) => {
    console.error(err);
    process.exitCode = 1;
  });
}
