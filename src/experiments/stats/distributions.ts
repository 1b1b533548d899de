// The probability distributions the analysis needs: Student's t (p-values and interval widths), the
// standard normal and chi-square (the sample-ratio check). Written out here rather than taken from a
// package so the numbers are reproducible and testable against published tables: the special
// functions are the classic ones (Lanczos log-gamma, the incomplete beta by Lentz's continued
// fraction, the incomplete gamma by series and continued fraction, Hill's transformation for t with
// very many degrees of freedom), accurate to about 1e-12 over the range an analysis uses.

const EPSILON = 1e-16;
const TINY = 1e-300;
const MAX_ITERATIONS = 100_000;

// Lanczos approximation, g = 7, n = 9 (the coefficients Numerical Recipes and Boost publish).
const LANCZOS_G = 7;
const LANCZOS = [
  0.99999999999980993, 676.5203681218851, -1259.1392167224028, 771.32342877765313, -176.61502916214059,
  12.507343278686905, -0.13857109526572012, 9.9843695780195716e-6, 1.5056327351493116e-7,
];

/** ln Γ(x) for x > 0. */
export function logGamma(x: number): number {
  if (!(x > 0)) throw new RangeError(`logGamma needs x > 0, got ${x}`);
  if (x < 0.5) {
    // Reflection keeps the series in its accurate range.
    return Math.log(Math.PI / Math.sin(Math.PI * x)) - logGamma(1 - x);
  }
  const z = x - 1;
  let sum = LANCZOS[0] as number;
  for (let i = 1; i < LANCZOS.length; i += 1) sum += (LANCZOS[i] as number) / (z + i);
  const t = z + LANCZOS_G + 0.5;
  return 0.5 * Math.log(2 * Math.PI) + (z + 0.5) * Math.log(t) - t + Math.log(sum);
}

/** Stirling's series for ln Γ(x) - [(x - 1/2) ln x - x + ln √(2π)], accurate to 1e-16 for x >= 15. */
function stirlingCorrection(x: number): number {
  const r = 1 / x;
  const r2 = r * r;
  return r * (1 / 12 - r2 * (1 / 360 - r2 * (1 / 1260 - r2 * (1 / 1680 - r2 / 1188))));
}

/** ln Γ(x + d) - ln Γ(x) for x >= 15, without subtracting two huge logarithms. */
function logGammaDifference(x: number, d: number): number {
  return (x - 0.5) * Math.log1p(d / x) + d * Math.log(x + d) - d + stirlingCorrection(x + d) - stirlingCorrection(x);
}

/** ln B(a, b). For a large argument the difference form keeps full precision (ln Γ(1e9) is about 2e10). */
export function logBeta(a: number, b: number): number {
  const small = Math.min(a, b);
  const big = Math.max(a, b);
  if (big >= 15) return logGamma(small) - logGammaDifference(big, small);
  return logGamma(a) + logGamma(b) - logGamma(a + b);
}

/**
 * Continued fraction for the incomplete beta (modified Lentz), converging fast for
 * x < (a + 1) / (a + b + 2). y = 1 - x is passed too: its first term 1 - (a + b) x / (a + 1) is
 * written as (1 - b + (a + b) y) / (a + 1), which keeps its precision when x is within 1e-12 of 1.
 */
function betaContinuedFraction(x: number, y: number, a: number, b: number): number {
  const qab = a + b;
  const qap = a + 1;
  const qam = a - 1;
  let c = 1;
  let d = x < 0.5 ? 1 - (qab * x) / qap : (1 - b + qab * y) / qap;
  if (Math.abs(d) < TINY) d = TINY;
  d = 1 / d;
  let h = d;
  for (let m = 1; m <= MAX_ITERATIONS; m += 1) {
    const m2 = 2 * m;
    let aa = (m * (b - m) * x) / ((qam + m2) * (a + m2));
    d = 1 + aa * d;
    if (Math.abs(d) < TINY) d = TINY;
    c = 1 + aa / c;
    if (Math.abs(c) < TINY) c = TINY;
    d = 1 / d;
    h *= d * c;
    aa = (-(a + m) * (qab + m) * x) / ((a + m2) * (qap + m2));
    d = 1 + aa * d;
    if (Math.abs(d) < TINY) d = TINY;
    c = 1 + aa / c;
    if (Math.abs(c) < TINY) c = TINY;
    d = 1 / d;
    const delta = d * c;
    h *= delta;
    if (Math.abs(delta - 1) < EPSILON) return h;
  }
  throw new Error(`incomplete beta did not converge (x=${x}, a=${a}, b=${b})`);
}

/** The regularized incomplete beta function I_x(a, b). */
export function regularizedIncompleteBeta(x: number, a: number, b: number): number {
  return incompleteBetaOf(x, 1 - x, a, b);
}

/**
 * I_x(a, b) given both x and y = 1 - x, so a caller who knows the small one exactly (x near 1 for
 * Student's t with many degrees of freedom) keeps its precision in the logarithms.
 */
function incompleteBetaOf(x: number, y: number, a: number, b: number): number {
  if (!(a > 0 && b > 0)) throw new RangeError('regularizedIncompleteBeta needs a > 0 and b > 0');
  if (x <= 0) return 0;
  if (y <= 0) return 1;
  const logX = x < 0.5 ? Math.log(x) : Math.log1p(-y);
  const logY = y < 0.5 ? Math.log(y) : Math.log1p(-x);
  const front = Math.exp(a * logX + b * logY - logBeta(a, b));
  // The fraction converges fast on one side of the mean; use the symmetry I_x(a,b) = 1 - I_{1-x}(b,a)
  // on the other.
  if (x < (a + 1) / (a + b + 2)) return (front * betaContinuedFraction(x, y, a, b)) / a;
  return 1 - (front * betaContinuedFraction(y, x, b, a)) / b;
}

/** P(a, x) by its series, for x < a + 1. */
function gammaSeries(a: number, x: number): number {
  let term = 1 / a;
  let sum = term;
  for (let n = 1; n <= MAX_ITERATIONS; n += 1) {
    term *= x / (a + n);
    sum += term;
    if (Math.abs(term) < Math.abs(sum) * EPSILON) {
      return sum * Math.exp(-x + a * Math.log(x) - logGamma(a));
    }
  }
  throw new Error(`incomplete gamma series did not converge (a=${a}, x=${x})`);
}

/** Q(a, x) by its continued fraction (modified Lentz), for x >= a + 1. */
function gammaContinuedFraction(a: number, x: number): number {
  let b = x + 1 - a;
  let c = 1 / TINY;
  let d = 1 / b;
  let h = d;
  for (let i = 1; i <= MAX_ITERATIONS; i += 1) {
    const an = -i * (i - a);
    b += 2;
    d = an * d + b;
    if (Math.abs(d) < TINY) d = TINY;
    c = b + an / c;
    if (Math.abs(c) < TINY) c = TINY;
    d = 1 / d;
    const delta = d * c;
    h *= delta;
    if (Math.abs(delta - 1) < EPSILON) return Math.exp(-x + a * Math.log(x) - logGamma(a)) * h;
  }
  throw new Error(`incomplete gamma fraction did not converge (a=${a}, x=${x})`);
}

/** The regularized lower incomplete gamma function P(a, x). */
export function regularizedGammaP(a: number, x: number): number {
  if (!(a > 0)) throw new RangeError('regularizedGammaP needs a > 0');
  if (x <= 0) return 0;
  return x < a + 1 ? gammaSeries(a, x) : 1 - gammaContinuedFraction(a, x);
}

/** The regularized upper incomplete gamma function Q(a, x) = 1 - P(a, x), without cancellation. */
export function regularizedGammaQ(a: number, x: number): number {
  if (!(a > 0)) throw new RangeError('regularizedGammaQ needs a > 0');
  if (x <= 0) return 1;
  return x < a + 1 ? 1 - gammaSeries(a, x) : gammaContinuedFraction(a, x);
}

/** erfc(x), through Q(1/2, x²) so the tails keep their relative precision. */
export function erfc(x: number): number {
  if (x >= 0) return regularizedGammaQ(0.5, x * x);
  return 1 + regularizedGammaP(0.5, x * x);
}

/** Standard normal CDF Φ(x). */
export function normalCdf(x: number): number {
  return 0.5 * erfc(-x / Math.SQRT2);
}

/** Standard normal density. */
export function normalPdf(x: number): number {
  return Math.exp(-0.5 * x * x) / Math.sqrt(2 * Math.PI);
}

// Acklam's rational approximation of the normal quantile (relative error 1.15e-9), polished below.
const ACKLAM_A = [-39.69683028665376, 220.9460984245205, -275.9285104469687, 138.357751867269, -30.66479806614716, 2.506628277459239];
const ACKLAM_B = [-54.47609879822406, 161.5858368580409, -155.6989798598866, 66.80131188771972, -13.28068155288572];
const ACKLAM_C = [-0.007784894002430293, -0.3223964580411365, -2.400758277161838, -2.549732539343734, 4.374664141464968, 2.938163982698783];
const ACKLAM_D = [0.007784695709041462, 0.3224671290700398, 2.445134137142996, 3.754408661907416];

function polynomial(coefficients: number[], x: number): number {
  let result = 0;
  for (const coefficient of coefficients) result = result * x + coefficient;
  return result;
}

/** Standard normal quantile Φ⁻¹(p), to about 1e-15 after one Halley step. */
export function normalQuantile(p: number): number {
  if (!(p > 0 && p < 1)) {
    if (p === 0) return -Infinity;
    if (p === 1) return Infinity;
    throw new RangeError(`normalQuantile needs 0 <= p <= 1, got ${p}`);
  }
  const low = 0.02425;
  let x: number;
  if (p < low) {
    const q = Math.sqrt(-2 * Math.log(p));
    x = polynomial(ACKLAM_C, q) / (polynomial(ACKLAM_D, q) * q + 1);
  } else if (p <= 1 - low) {
    const q = p - 0.5;
    const r = q * q;
    x = (polynomial(ACKLAM_A, r) * q) / (polynomial(ACKLAM_B, r) * r + 1);
  } else {
    const q = Math.sqrt(-2 * Math.log1p(-p));
    x = -polynomial(ACKLAM_C, q) / (polynomial(ACKLAM_D, q) * q + 1);
  }
  // One Halley step against the accurate CDF.
  const error = normalCdf(x) - p;
  const u = error * Math.sqrt(2 * Math.PI) * Math.exp(0.5 * x * x);
  return x - u / (1 + 0.5 * x * u);
}

/** Student's t density with `df` degrees of freedom. */
export function studentTPdf(t: number, df: number): number {
  return Math.exp(
    logGamma((df + 1) / 2) - logGamma(df / 2) - 0.5 * Math.log(df * Math.PI) - ((df + 1) / 2) * Math.log1p((t * t) / df),
  );
}

/** Above this many degrees of freedom t and the normal agree to better than 1e-12. */
const NORMAL_LIMIT_DF = 1e12;

/** Student's t CDF P(T <= t) with `df` > 0 degrees of freedom (df need not be an integer). */
export function studentTCdf(t: number, df: number): number {
  if (!(df > 0)) throw new RangeError(`studentTCdf needs df > 0, got ${df}`);
  if (Number.isNaN(t)) return NaN;
  if (t === Infinity) return 1;
  if (t === -Infinity) return 0;
  if (df > NORMAL_LIMIT_DF) return normalCdf(t);
  const t2 = t * t;
  // The tail P(T > |t|) = I_{df/(df+t²)}(df/2, 1/2) / 2; for small |t| the complementary form
  // I_{t²/(df+t²)}(1/2, df/2) keeps precision near the centre.
  const tail = 0.5 * twoSidedTail(t2, df);
  return t > 0 ? 1 - tail : tail;
}

/** P(|T| >= |t|): the two-sided p-value of a t statistic. */
export function studentTTwoSidedPValue(t: number, df: number): number {
  if (Number.isNaN(t)) return NaN;
  const a = Math.abs(t);
  if (a === Infinity) return 0;
  if (df > NORMAL_LIMIT_DF) return erfc(a / Math.SQRT2);
  return twoSidedTail(a * a, df);
}

/** Degrees of freedom above which the tail comes from Hill's normalizing transformation. */
const HILL_DF = 1e5;

/**
 * P(|T| >= t) from t²: I_{df/(df+t²)}(df/2, 1/2), which keeps tiny tails (the complementary form
 * would round them to 0). With more than 1e5 degrees of freedom the continued fraction loses digits
 * near the centre, and Hill's transformation to a normal deviate (G. W. Hill, "Algorithm 395:
 * Student's t-distribution", CACM 13(10), 1970) is accurate to about 1e-12 there instead.
 */
function twoSidedTail(t2: number, df: number): number {
  if (df > HILL_DF) {
    const a = df - 0.5;
    const b = 48 * a * a;
    const y = a * Math.log1p(t2 / df);
    const z = (((((-0.4 * y - 3.3) * y - 24) * y - 85.5) / (0.8 * y * y + 100 + b) + y + 3) / b + 1) * Math.sqrt(y);
    return erfc(z / Math.SQRT2);
  }
  return incompleteBetaOf(df / (df + t2), t2 / (df + t2), df / 2, 0.5);
}

/** Student's t quantile: the t with P(T <= t) = p. Newton's method on the CDF, bracketed by bisection. */
export function studentTQuantile(p: number, df: number): number {
  if (!(df > 0)) throw new RangeError(`studentTQuantile needs df > 0, got ${df}`);
  if (!(p > 0 && p < 1)) {
    if (p === 0) return -Infinity;
    if (p === 1) return Infinity;
    throw new RangeError(`studentTQuantile needs 0 <= p <= 1, got ${p}`);
  }
  if (p === 0.5) return 0;
  if (p < 0.5) return -studentTQuantile(1 - p, df);
  if (df > NORMAL_LIMIT_DF) return normalQuantile(p);
  // Exact closed forms for one and two degrees of freedom.
  if (df === 1) return Math.tan(Math.PI * (p - 0.5));
  if (df === 2) {
    const a = 4 * p * (1 - p);
    return (2 * (p - 0.5)) * Math.sqrt(2 / a);
  }
  // Start from the Cornish-Fisher expansion around the normal quantile.
  const z = normalQuantile(p);
  const z2 = z * z;
  let t =
    z +
    (z * (z2 + 1)) / (4 * df) +
    (z * ((5 * z2 + 16) * z2 + 3)) / (96 * df * df) +
    (z * (((3 * z2 + 19) * z2 + 17) * z2 - 15)) / (384 * df * df * df);
  if (!Number.isFinite(t) || t <= 0) t = z;
  let lower = 0;
  let upper = Infinity;
  for (let i = 0; i < 200; i += 1) {
    // 1 - CDF evaluated as the upper tail keeps precision for p near 1.
    const upperTail = 0.5 * studentTTwoSidedPValue(t, df);
    const error = 1 - p - upperTail; // CDF(t) - p
    if (error > 0) upper = Math.min(upper, t);
    else lower = Math.max(lower, t);
    const step = error / studentTPdf(t, df);
    let next = t - step;
    if (!(next > lower && next < upper)) {
      next = upper === Infinity ? Math.max(2 * t, lower + 1) : (lower + upper) / 2;
    }
    if (Math.abs(next - t) <= 1e-14 * Math.max(1, Math.abs(t))) return next;
    t = next;
  }
  return t;
}

/** Survival function of the chi-square distribution with k degrees of freedom: P(X >= x). */
export function chiSquareSurvival(x: number, k: number): number {
  if (!(k > 0)) throw new RangeError(`chiSquareSurvival needs k > 0, got ${k}`);
  if (x <= 0) return 1;
  return regularizedGammaQ(k / 2, x / 2);
}
