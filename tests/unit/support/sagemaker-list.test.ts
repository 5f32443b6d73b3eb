import { listPage } from '../../support/simulator/services/sagemaker-views';

// The simulator's List* rule for SageMaker (ListModels, ListEndpointConfigs, ListEndpoints) against
// the botocore model sagemaker/2017-07-24: SortBy CreationTime and SortOrder Descending by default,
// NameContains, CreationTimeBefore/After (epoch seconds on the JSON wire), StatusEquals,
// MaxResults 1 to 100, NextToken.
const items = [
  { name: 'charges-a', createdAt: 1_000, status: 'InService' },
  { name: 'Charges-b', createdAt: 3_000, status: 'Updating' },
  { name: 'reports-a', createdAt: 2_000, status: 'InService' },
];
const names = (input: Record<string, unknown>) => listPage(items, input).page.map((item) => item.name);

test.each<[string, Record<string, unknown>, string[]]>([
  ['newest first by default', {}, ['Charges-b', 'reports-a', 'charges-a']],
  ['Ascending', { SortOrder: 'Ascending' }, ['charges-a', 'reports-a', 'Charges-b']],
  ['by name', { SortBy: 'Name', SortOrder: 'Ascending' }, ['charges-a', 'Charges-b', 'reports-a']],
  ['NameContains without regard to case', { NameContains: 'CHARGES' }, ['Charges-b', 'charges-a']],
  ['CreationTimeAfter is inclusive', { CreationTimeAfter: 2 }, ['Charges-b', 'reports-a']],
  ['CreationTimeBefore is exclusive', { CreationTimeBefore: 2 }, ['charges-a']],
  ['StatusEquals', { StatusEquals: 'InService' }, ['reports-a', 'charges-a']],
])('%s', (_why, input, expected) => {
  expect(names(input)).toEqual(expected);
});

test('pages of MaxResults with a NextToken until the last', () => {
  const first = listPage(items, { MaxResults: 2 });
  expect(first.page.map((item) => item.name)).toEqual(['Charges-b', 'reports-a']);
  const second = listPage(items, { MaxResults: 2, NextToken: first.nextToken });
  expect(second.page.map((item) => item.name)).toEqual(['charges-a']);
  expect(second.nextToken).toBeUndefined();
});

test.each([[0], [101]])('MaxResults %p is a ValidationException', (max) => {
  expect(() => listPage(items, { MaxResults: max })).toThrow(/failed to satisfy constraint/);
});

test('a NameContains outside [a-zA-Z0-9-]+ is a ValidationException', () => {
  expect(() => listPage(items, { NameContains: 'charges_a' })).toThrow(/regular expression pattern/);
});
