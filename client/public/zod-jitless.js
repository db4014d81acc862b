// A classic script that index.html runs before the app's module scripts, so before zod is evaluated:
// zod v4 reads this global config when it loads and, unless `jitless` is set, probes `new Function('')`
// when object schemas are built. Under our CSP (no 'unsafe-eval') that probe is reported as a
// securitypolicyviolation even though zod catches the throw. (A module imported first is not enough:
// the bundler may put zod and the schemas in a shared chunk that is evaluated before it.)
globalThis.__zod_globalConfig = Object.assign({}, globalThis.__zod_globalConfig, { jitless: true });
