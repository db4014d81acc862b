import { z } from 'zod';

// Imported first by main.tsx, before any schema module is evaluated: zod v4 probes `new Function('')`
// when an object schema is built unless jitless is set, and under our CSP (no 'unsafe-eval') that
// probe is reported as a securitypolicyviolation on every page even though zod catches the throw.
z.config({ jitless: true });
