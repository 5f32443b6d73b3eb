import { errorMetrics } from '../../../sample-service/src/training/evaluation';
import { expectedCharges, generateRows } from '../../../sample-service/src/training/synthetic';

describe('synthetic insurance data', () => {
  it('is the same for the same seed and different for another', () => {
    expect(generateRows(50, 1)).toEqual(generateRows(50, 1));
    expect(generateRows(50, 2)).not.toEqual(generateRows(50, 1));
  });

  it('draws every feature inside its documented domain', () => {
    for (const row of generateRows(2000, 3)) {
      expect(Number.isInteger(row.age) && row.age >= 18 && row.age <= 64).toBe(true);
      expect(row.bmi >= 16 && row.bmi <= 53).toBe(true);
      expect(Number.isInteger(row.children) && row.children >= 0 && row.children <= 5).toBe(true);
      expect(['female', 'male']).toContain(row.sex);
      expect(['yes', 'no']).toContain(row.smoker);
      expect(['northeast', 'northwest', 'southeast', 'southwest']).toContain(row.region);
      expect(row.charges).toBeGreaterThanOrEqual(1100);
    }
  });

  it('follows the documented formula, with the smoker-and-obese step', () => {
    const base = { age: 40, sex: 'female', bmi: 25, children: 0, smoker: 'no', region: 'southeast' } as const;
    expect(expectedCharges(base)).toBe(2000 + 260 * 40);
    expect(expectedCharges({ ...base, smoker: 'yes' }) - expectedCharges(base)).toBe(20000);
    expect(expectedCharges({ ...base, smoker: 'yes', bmi: 30 }) - expectedCharges({ ...base, bmi: 30 })).toBe(
      35000,
    );
    expect(
      expectedCharges({ ...base, region: 'northeast', sex: 'male', children: 2 }) - expectedCharges(base),
    ).toBe(800 + 150 + 1000);
  });

  it('has noise of about the documented 2000 around the formula', () => {
    const rows = generateRows(4000, 4).filter((row) => expectedCharges(row) > 8000);
    const { rmse } = errorMetrics(
      rows.map((row) => row.charges),
      rows.map((row) => expectedCharges(row)),
    );
    expect(rmse).toBeGreaterThan(1850);
    expect(rmse).toBeLessThan(2150);
  });
});
