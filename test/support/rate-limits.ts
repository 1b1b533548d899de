// Test apps and test servers share one client address (loopback) and make thousands of requests in
// a few seconds: they get limits no test reaches, so the suite is never throttled. Spawned test
// servers count every request at these levels; in-process test apps count only where a test turns
// limits on (RATE_LIMITS=on: the fuzz suite, at these levels), and a test of the limits themselves
// passes real ones.
export const GENEROUS_RATE_LIMITS: Record<string, string> = {
  RATE_LIMIT_READS: '1000000/1m',
  RATE_LIMIT_WRITES: '1000000/1m',
  RATE_LIMIT_AUTHENTICATION: '1000000/1m',
  RATE_LIMIT_UPLOADS: '1000000/1m',
  RATE_LIMIT_EXPENSIVE: '1000000/1m',
  RATE_LIMIT_PASSWORD_ATTEMPTS: '1000000/1m',
};
