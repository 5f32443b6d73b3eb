import { SecretMasker } from '../../support/harness/masker';

describe('SecretMasker', () => {
  it('replaces every occurrence of a value', () => {
    const masker = new SecretMasker();
    masker.add('hunter2-secret');
    expect(masker.mask('a hunter2-secret b hunter2-secret')).toBe('a *** b ***');
  });

  it('refuses empty and whitespace-only values', () => {
    const masker = new SecretMasker();
    expect(masker.add('')).toBe(false);
    expect(masker.add('  \n')).toBe(false);
    expect(masker.values()).toEqual([]);
    expect(masker.mask('text  \n')).toBe('text  \n');
  });

  it('merges overlapping secrets so no fragment survives', () => {
    const masker = new SecretMasker();
    masker.add('abcdef');
    masker.add('defghi');
    expect(masker.mask('xx abcdefghi yy')).toBe('xx *** yy');
  });

  it('masks the encodings a secret commonly leaks in', () => {
    const secret = 'p@ss "word"/x';
    const masker = new SecretMasker();
    masker.add(secret);
    expect(masker.mask(JSON.stringify({ secret }))).toBe('{"secret":"***"}');
    expect(masker.mask(`?q=${encodeURIComponent(secret)}`)).toBe('?q=***');
    expect(masker.mask(Buffer.from(secret).toString('base64'))).not.toContain(
      Buffer.from(secret).toString('base64').slice(0, 8),
    );
  });

  it('masks each line of a multi-line secret, since logs are masked line by line', () => {
    const masker = new SecretMasker();
    masker.add('-----BEGIN KEY-----\nMIIEvQIBADANBg\n-----END KEY-----');
    expect(masker.mask('line: MIIEvQIBADANBg')).toBe('line: ***');
  });

  it('masks every value of a record', () => {
    const masker = new SecretMasker();
    masker.add('tok-123456');
    expect(masker.maskRecord({ a: 'x tok-123456', b: 'clean' })).toEqual({ a: 'x ***', b: 'clean' });
  });
});
