import { describe, expect, it } from 'vitest';
import {
  chiSquareSurvival,
  erfc,
  logGamma,
  normalCdf,
  normalQuantile,
  regularizedGammaP,
  regularizedIncompleteBeta,
  studentTCdf,
  studentTQuantile,
  studentTTwoSidedPValue,
} from './distributions.js';

describe('special functions', () => {
  it('logGamma matches factorials and Γ(1/2) = √π', () => {
    expect(logGamma(1)).toBeCloseTo(0, 14);
    expect(logGamma(5)).toBeCloseTo(Math.log(24), 13);
    expect(logGamma(21)).toBeCloseTo(Math.log(2432902008176640000), 11);
    expect(logGamma(0.5)).toBeCloseTo(0.5 * Math.log(Math.PI), 13);
  });

  it('the incomplete beta matches its closed forms', () => {
    expect(regularizedIncompleteBeta(0.3, 2.5, 1)).toBeCloseTo(0.3 ** 2.5, 14);
    expect(regularizedIncompleteBeta(0.3, 1, 4.5)).toBeCloseTo(1 - 0.7 ** 4.5, 14);
    expect(regularizedIncompleteBeta(0.5, 7.25, 7.25)).toBeCloseTo(0.5, 14);
    // Large symmetric parameters sit at the fraction's slowest point; still within 1e-11.
    expect(regularizedIncompleteBeta(0.5, 3000, 3000)).toBeCloseTo(0.5, 10);
  });

  it('the incomplete gamma matches its closed forms', () => {
    expect(regularizedGammaP(1, 2)).toBeCloseTo(1 - Math.exp(-2), 14);
    expect(regularizedGammaP(3, 0.5)).toBeCloseTo(1 - Math.exp(-0.5) * (1 + 0.5 + 0.125), 14);
    expect(erfc(1)).toBeCloseTo(0.157299207050285, 14);
  });
});

describe('the standard normal', () => {
  it('matches published values', () => {
    expect(normalCdf(1)).toBeCloseTo(0.8413447460685429, 14);
    expect(normalCdf(-3)).toBeCloseTo(0.0013498980316301, 15);
    expect(normalQuantile(0.975)).toBeCloseTo(1.959963984540054, 12);
    expect(normalQuantile(1e-10)).toBeCloseTo(-6.361340902404056, 10);
    expect(normalQuantile(0.5)).toBeCloseTo(0, 14);
  });
});

describe("Student's t", () => {
  // Upper critical values t(p; df), NIST/SEMATECH e-Handbook of Statistical Methods, table 1.3.6.7.2.
  const table: [p: number, df: number, t: number][] = [
    [0.975, 1, 12.706],
    [0.975, 2, 4.303],
    [0.975, 5, 2.571],
    [0.975, 10, 2.228],
    [0.975, 30, 2.042],
    [0.975, 100, 1.984],
    [0.95, 3, 2.353],
    [0.995, 10, 3.169],
    [0.999, 20, 3.552],
    [0.9, 7, 1.415],
  ];

  it.each(table)('quantile t(%f; %f) is %f as tabulated', (p, df, t) => {
    expect(studentTQuantile(p, df)).toBeCloseTo(t, 3);
    expect(studentTQuantile(1 - p, df)).toBeCloseTo(-t, 3);
  });

  it('the CDF inverts the quantile, also for fractional and very large df', () => {
    for (const df of [1.5, 2.5, 7.3, 47.9, 6461.2, 1e6, 1e9]) {
      for (const p of [0.6, 0.9, 0.975, 0.9995]) {
        expect(studentTCdf(studentTQuantile(p, df), df)).toBeCloseTo(p, 10);
      }
    }
  });

  it('matches the closed forms for 1, 2 and 3 degrees of freedom', () => {
    for (const t of [-4, -0.7, 0, 0.3, 1, 2.5, 40]) {
      expect(studentTCdf(t, 1)).toBeCloseTo(0.5 + Math.atan(t) / Math.PI, 14);
      expect(studentTCdf(t, 2)).toBeCloseTo(0.5 + t / (2 * Math.sqrt(2 + t * t)), 14);
      const u = t / Math.sqrt(3);
      expect(studentTCdf(t, 3)).toBeCloseTo(0.5 + (u / (1 + u * u) + Math.atan(u)) / Math.PI, 14);
    }
  });

  it('tends to the normal as df grows', () => {
    expect(studentTTwoSidedPValue(1.959963984540054, 1e12)).toBeCloseTo(0.05, 12);
    expect(studentTTwoSidedPValue(1, 1e9)).toBeCloseTo(2 * (1 - normalCdf(1)), 9);
    expect(studentTTwoSidedPValue(2, 1e5)).toBeCloseTo(0.0455029634, 9);
  });

  it('keeps tiny tail probabilities', () => {
    expect(studentTTwoSidedPValue(30, 100)).toBeGreaterThan(0);
    expect(studentTTwoSidedPValue(30, 100)).toBeCloseTo(8.380332558688338e-52, 60);
    expect(studentTTwoSidedPValue(12, 1000)).toBeCloseTo(4.324057386772776e-31, 40);
    expect(studentTTwoSidedPValue(0, 10)).toBe(1);
  });
});

describe('chi-square', () => {
  // Upper critical values χ²(1 - p; k), NIST/SEMATECH e-Handbook, table 1.3.6.7.4.
  const table: [k: number, upperTail: number, x: number][] = [
    [1, 0.05, 3.841],
    [1, 0.001, 10.828],
    [2, 0.05, 5.991],
    [3, 0.001, 16.266],
    [10, 0.05, 18.307],
  ];
  it.each(table)('with %d degrees of freedom P(X >= x) = %f at the tabulated x', (k, upperTail, x) => {
    expect(chiSquareSurvival(x, k)).toBeCloseTo(upperTail, 4);
  });
  it('is exact for two degrees of freedom: P(X >= x) = e^(-x/2)', () => {
    expect(chiSquareSurvival(7.3, 2)).toBeCloseTo(Math.exp(-3.65), 14);
  });
});
