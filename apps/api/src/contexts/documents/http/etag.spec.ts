import { etagOf, expectedRevisionFrom } from './etag';

describe('ETag and If-Match', () => {
  it('tags a revision as a strong quoted ETag', () => {
    expect(etagOf(0)).toBe('"0"');
    expect(etagOf(42)).toBe('"42"');
  });

  it.each([
    [undefined, undefined],
    ['*', undefined],
    ['"0"', 0],
    ['"17"', 17],
    [' "3" ', 3],
  ])('reads If-Match %p as revision %p', (header, revision) => {
    expect(expectedRevisionFrom(header)).toBe(revision);
  });

  it.each([['W/"3"'], ['3'], ['"03"'], ['"-1"'], ['"1", "2"'], ['"99999999999"'], ['']])('never matches %p', (header) => {
    expect(expectedRevisionFrom(header)).toBe(-1);
  });
});
