/**
 * Splits `items` into runs whose lengths are powers of two, longest first, none longer than `max`.
 * SQL written per run (an `IN` list, a multi-row `VALUES`) then comes in at most log2(max) + 1 shapes,
 * which a statement cache keeps prepared, where one statement per batch size would be parsed anew
 * for most batches (a batch's size follows the load; a 100-row statement takes longer to parse than to run).
 */
export function* runsOfFewShapes<T>(items: readonly T[], max: number): Generator<T[]> {
  if (!Number.isSafeInteger(max) || max < 1) throw new RangeError(`a run holds at least one item, not ${max}`);
  let longest = 1;
  while (longest * 2 <= max) longest *= 2;
  let offset = 0;
  for (let run = longest; offset < items.length; run /= 2) {
    while (items.length - offset >= run) {
      yield items.slice(offset, offset + run);
      offset += run;
    }
  }
}
