/** The release's output: plain lines plus the runner's workflow commands, which read fine locally too. */
export interface Log {
  info(message: string): void;
  notice(message: string): void;
  warning(message: string): void;
  error(message: string): void;
  group<T>(title: string, work: () => T): T;
}

function escapeData(message: string): string {
  return message.replaceAll('%', '%25').replaceAll('\r', '%0D').replaceAll('\n', '%0A');
}

export function consoleLog(write: (line: string) => void = (line) => console.log(line)): Log {
  return {
    info: (message) => write(message),
    notice: (message) => write(`::notice::${escapeData(message)}`),
    warning: (message) => write(`::warning::${escapeData(message)}`),
    error: (message) => write(`::error::${escapeData(message)}`),
    group(title, work) {
      write(`::group::${title}`);
      try {
        return work();
      } finally {
        write('::endgroup::');
      }
    },
  };
}
