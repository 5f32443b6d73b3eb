import { SecretMasker } from '../../support/harness/masker';
import { StepLog, formatAnnotation } from '../../support/harness/step-log';

function makeLog(options: { debug?: boolean; allowUnsecureCommands?: boolean } = {}): {
  log: StepLog;
  lines: string[];
  masker: SecretMasker;
} {
  const lines: string[] = [];
  const masker = new SecretMasker();
  const log = new StepLog({
    masker,
    debug: options.debug ?? false,
    allowUnsecureCommands: options.allowUnsecureCommands ?? false,
    write: (line) => lines.push(line),
  });
  return { log, lines, masker };
}

function feed(log: StepLog, ...raw: string[]): void {
  for (const line of raw) log.line(line);
}

describe('StepLog', () => {
  it('passes plain lines through', () => {
    const { log, lines } = makeLog();
    feed(log, 'hello', '', 'world');
    expect(lines).toEqual(['hello', '', 'world']);
  });

  describe('add-mask', () => {
    it('masks from then on and never writes the value itself', () => {
      const { log, lines, masker } = makeLog();
      feed(log, 'before s3cret-token', '::add-mask::s3cret-token', 'after s3cret-token');
      expect(lines).toEqual(['before s3cret-token', 'after ***']);
      expect(masker.values()).toEqual(['s3cret-token']);
    });

    it('unescapes the value before registering it', () => {
      const { log, lines } = makeLog();
      feed(log, '::add-mask::100%25-sure', 'value 100%-sure');
      expect(lines).toEqual(['value ***']);
    });

    it('warns about an empty value', () => {
      const { log, lines } = makeLog();
      feed(log, '::add-mask::   ');
      expect(log.annotations).toEqual([
        { level: 'warning', message: "Can't add secret mask for empty string in ##[add-mask] command." },
      ]);
      expect(lines).toHaveLength(1);
    });

    it('masks annotation messages, titles and group names', () => {
      const { log, lines } = makeLog();
      feed(log, '::add-mask::tok-999', '::error title=t tok-999::bad tok-999', '::group::g tok-999');
      expect(log.annotations[0]).toMatchObject({ message: 'bad ***', title: 't ***' });
      expect(lines.join('\n')).not.toContain('tok-999');
    });
  });

  describe('annotations', () => {
    it('records level, message and location properties as numbers', () => {
      const { log } = makeLog();
      feed(log, '::warning file=src/a.ts,line=3,col=7,endLine=4,endColumn=2,title=Careful::multi%0Aline');
      expect(log.annotations).toEqual([
        {
          level: 'warning',
          message: 'multi\nline',
          title: 'Careful',
          file: 'src/a.ts',
          line: 3,
          col: 7,
          endLine: 4,
          endColumn: 2,
        },
      ]);
    });

    it('prints them as the workflow command the action wrote', () => {
      expect(
        formatAnnotation({ level: 'error', message: 'boom', file: 'a.ts', line: 2, col: 1, title: 'T' }),
      ).toBe('::error file=a.ts,line=2,col=1,title=T::boom');
      expect(formatAnnotation({ level: 'notice', message: 'one\ntwo' })).toBe('::notice::one\n          two');
    });
  });

  describe('groups', () => {
    it('marks the group title and indents its lines until endgroup', () => {
      const { log, lines } = makeLog();
      feed(log, '::group::Build', 'step 1', '::endgroup::', 'after');
      expect(lines).toEqual(['▸ Build', '    step 1', 'after']);
    });

    it('starts a new group without nesting, as the runner does', () => {
      const { log, lines } = makeLog();
      feed(log, '::group::A', '::group::B', 'x');
      expect(lines).toEqual(['▸ A', '▸ B', '    x']);
    });
  });

  describe('debug', () => {
    it('hides debug lines by default', () => {
      const { log, lines } = makeLog();
      feed(log, '::debug::details');
      expect(lines).toEqual([]);
    });

    it('shows them with step debug on', () => {
      const { log, lines } = makeLog({ debug: true });
      feed(log, '::debug::details');
      expect(lines).toEqual(['Debug: details']);
    });
  });

  describe('stop-commands', () => {
    it('prints commands as text until the token resumes processing', () => {
      const { log, lines } = makeLog();
      feed(
        log,
        '::stop-commands::pause-123',
        '::error::not an error',
        '::add-mask::visible',
        '::pause-123::',
        '::error::real',
      );
      expect(lines).toEqual([
        '::stop-commands::pause-123',
        '::error::not an error',
        '::add-mask::visible',
        '::pause-123::',
        '::error::real',
      ]);
      expect(log.annotations).toEqual([{ level: 'error', message: 'real' }]);
    });

    it('still masks while commands are stopped', () => {
      const { log, lines } = makeLog();
      feed(log, '::add-mask::hidden-1', '::stop-commands::t', 'hidden-1');
      expect(lines).toEqual(['::stop-commands::t', '***']);
    });
  });

  describe('deprecated and disabled commands', () => {
    it('keeps set-output and save-state working with a deprecation warning', () => {
      const { log } = makeLog();
      feed(log, '::set-output name=digest::sha256:abc', '::save-state name=pid::42');
      expect(log.outputs).toEqual({ digest: 'sha256:abc' });
      expect(log.state).toEqual({ pid: '42' });
      expect(log.annotations.map((a) => a.level)).toEqual(['warning', 'warning']);
      expect(log.commandFailed).toBe(false);
    });

    it('fails the step on set-env and add-path unless unsecure commands are allowed', () => {
      const { log } = makeLog();
      feed(log, '::set-env name=A::1');
      expect(log.commandFailed).toBe(true);
      expect(log.env).toEqual({});
      expect(log.annotations[0]?.message).toBe(
        "Unable to process command '::set-env name=A::1' successfully.",
      );
      expect(log.annotations[1]?.message).toMatch(/`set-env` command is disabled/);
    });

    it('applies set-env and add-path when allowed', () => {
      const { log } = makeLog({ allowUnsecureCommands: true });
      feed(log, '::set-env name=A::1', '::add-path::/opt/bin');
      expect(log.env).toEqual({ A: '1' });
      expect(log.path).toEqual(['/opt/bin']);
      expect(log.commandFailed).toBe(false);
    });

    it('fails the step on set-output without a name', () => {
      const { log } = makeLog();
      feed(log, '::set-output::x');
      expect(log.commandFailed).toBe(true);
    });
  });

  it('echoes commands when echo is on, but never add-mask values', () => {
    const { log, lines } = makeLog();
    feed(log, '::echo::on', '::group::G', '::add-mask::zzz-secret', '::echo::off', '::group::H');
    // The echo::off line is itself echoed: echo was still on when it arrived.
    expect(lines).toEqual(['::group::G', '▸ G', '    ::add-mask::***', '    ::echo::off', '▸ H']);
  });
});
